package org.parley.disqus;

import org.parley.disqus.ExportItem.Author;
import org.parley.disqus.ExportItem.ExportPost;
import org.parley.disqus.ExportItem.ExportThread;
import org.parley.disqus.ExportItem.Skipped;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a Disqus export one thread or post at a time with StAX, so a file of millions of posts takes the memory
 * of one element. Real exports are messy, and each kind of mess is handled the same way every time:
 * <ul>
 *   <li>gzip or plain, told apart by the first bytes, not the file name;</li>
 *   <li>text, whitespace or a byte-order mark before {@code <?xml} is skipped (line numbers still count it);</li>
 *   <li>names are matched without their prefixes, so exports with, without or with undeclared namespace prefixes
 *   ({@code dsq:id}) read alike; entities and CDATA come out as text;</li>
 *   <li>an element that cannot become a thread or post (no id, a post without a thread or a usable time) is a
 *   {@link Skipped} with its reason and line; categories are read past;</li>
 *   <li>a file that is not well-formed XML, or not {@code <disqus>}, is an {@link ExportFormatException} with the
 *   line and column.</li>
 * </ul>
 * DTDs and external entities are refused: an export never needs them, and they are how XML files attack readers.
 */
public final class ExportReader implements AutoCloseable {
    /** Longer text in one element is refused: a comment is far shorter, and memory must stay bounded. */
    static final int MAX_TEXT = 1 << 20;

    private final InputStream in;
    private final XMLStreamReader xml;
    private final int linesBefore;
    private boolean started;

    private ExportReader(InputStream in, int linesBefore) throws XMLStreamException {
        this.in = in;
        this.linesBefore = linesBefore;
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        this.xml = factory.createXMLStreamReader(in);
    }

    public static ExportReader open(Path file) {
        try {
            return open(Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code raw} (gzip or plain XML); closing the reader closes it. */
    public static ExportReader open(InputStream raw) {
        try {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            if (gzip) {
                in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            int lines = skipToFirstTag(in);
            return new ExportReader(in, lines);
        } catch (IOException e) {
            throw new ExportFormatException("The file cannot be read: " + e.getMessage(), 0, 0, e);
        } catch (XMLStreamException e) {
            throw formatError(e, 0);
        }
    }

    /** Skips whatever comes before the first '<' and says how many lines that was. */
    private static int skipToFirstTag(InputStream in) throws IOException {
        int lines = 0;
        while (true) {
            in.mark(1);
            int b = in.read();
            if (b == -1) {
                throw new ExportFormatException("The file is empty: a Disqus export starts with <?xml or <disqus>.",
                        lines + 1, 1, null);
            }
            if (b == '<') {
                in.reset();
                return lines;
            }
            if (b == '\n') {
                lines++;
            }
        }
    }

    /** The next thread, post or skipped element, or null at the end of the export. */
    public ExportItem next() {
        try {
            if (!started) {
                startRoot();
                started = true;
            }
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.END_ELEMENT) {
                    return null; // </disqus>
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                int line = line();
                Element element = readElement(line);
                switch (element.name) {
                    case "thread" -> {
                        return thread(element, line);
                    }
                    case "post" -> {
                        return post(element, line);
                    }
                    default -> {
                        // categories, and anything a later Disqus adds: read past
                    }
                }
            }
            return null;
        } catch (XMLStreamException e) {
            throw formatError(e, linesBefore);
        }
    }

    private void startRoot() throws XMLStreamException {
        while (xml.hasNext()) {
            if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                String root = local(xml.getLocalName());
                if (!root.equals("disqus")) {
                    throw new ExportFormatException("This is not a Disqus export: its first element is <" + root
                            + ">, not <disqus>.", line(), xml.getLocation().getColumnNumber(), null);
                }
                return;
            }
        }
        throw new ExportFormatException("The file has no <disqus> element.", line(), 0, null);
    }

    private ExportItem thread(Element e, int line) {
        Long id = e.disqusId();
        if (id == null) {
            return new Skipped("thread", "it has no numeric dsq:id", line);
        }
        return new ExportThread(id, blankToNull(e.text("id")), blankToNull(e.text("link")),
                blankToNull(e.text("title")), bool(e.text("isClosed")), bool(e.text("isDeleted")),
                time(e.text("createdAt")), line);
    }

    private ExportItem post(Element e, int line) {
        Long id = e.disqusId();
        if (id == null) {
            return new Skipped("post", "it has no numeric dsq:id", line);
        }
        Element threadRef = e.child("thread");
        Long threadId = threadRef == null ? null : threadRef.disqusId();
        if (threadId == null) {
            return new Skipped("post " + id, "it names no thread", line);
        }
        String createdText = e.text("createdAt");
        Instant created = time(createdText);
        if (created == null) {
            return new Skipped("post " + id, createdText == null || createdText.isBlank() ? "it has no createdAt"
                    : "its createdAt '" + createdText.strip() + "' is not a date", line);
        }
        Element parentRef = e.child("parent");
        Element author = e.child("author");
        Author by = author == null ? new Author(null, null, null, true)
                : new Author(blankToNull(author.text("name")), blankToNull(author.text("email")),
                blankToNull(author.text("username")), bool(author.text("isAnonymous")));
        String message = e.text("message");
        return new ExportPost(id, threadId, parentRef == null ? null : parentRef.disqusId(),
                message == null ? "" : message.strip(), created, by, blankToNull(e.text("ipAddress")),
                bool(e.text("isDeleted")), bool(e.text("isSpam")), !"false".equalsIgnoreCase(strip(e.text("isApproved"))),
                line);
    }

    /** One element and its children, read whole: an export's thread or post is small. */
    private static final class Element {
        final String name;
        final Map<String, String> attributes = new HashMap<>();
        final StringBuilder text = new StringBuilder();
        final List<Element> children = new ArrayList<>();

        Element(String name) {
            this.name = name;
        }

        /** The {@code dsq:id} attribute (any prefix, or none), when it is a number. */
        Long disqusId() {
            String value = attributes.get("id");
            try {
                return value == null ? null : Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }

        Element child(String childName) {
            for (Element child : children) {
                if (child.name.equals(childName)) {
                    return child;
                }
            }
            return null;
        }

        String text(String childName) {
            Element child = child(childName);
            return child == null ? null : child.text.toString();
        }
    }

    private Element readElement(int line) throws XMLStreamException {
        Element root = new Element(local(xml.getLocalName()));
        attributes(root);
        List<Element> open = new ArrayList<>(List.of(root));
        int size = 0;
        while (!open.isEmpty()) {
            int event = xml.next();
            Element current = open.getLast();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    Element child = new Element(local(xml.getLocalName()));
                    attributes(child);
                    current.children.add(child);
                    open.add(child);
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    size += xml.getTextLength();
                    if (size > MAX_TEXT) {
                        throw new ExportFormatException("The <" + root.name + "> element is longer than "
                                + MAX_TEXT / 1024 + " KiB of text; no export holds such a comment", line, 1, null);
                    }
                    current.text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                }
                case XMLStreamConstants.END_ELEMENT -> open.removeLast();
                case XMLStreamConstants.END_DOCUMENT -> throw new ExportFormatException(
                        "The file ends inside <" + root.name + ">: it was cut short", line(), 0, null);
                default -> {
                    // comments and processing instructions: nothing to keep
                }
            }
        }
        return root;
    }

    private void attributes(Element element) {
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            element.attributes.put(local(xml.getAttributeLocalName(i)), xml.getAttributeValue(i));
        }
    }

    /** A name without its prefix: {@code dsq:id} → {@code id}. */
    private static String local(String name) {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    private int line() {
        return xml.getLocation().getLineNumber() + linesBefore;
    }

    private static ExportFormatException formatError(XMLStreamException e, int linesBefore) {
        Location at = e.getLocation();
        String reason = e.getMessage() == null ? "not well-formed XML" : e.getMessage()
                .replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "").strip();
        return new ExportFormatException("The export is not well-formed XML: " + reason,
                at == null ? 0 : at.getLineNumber() + linesBefore, at == null ? 0 : at.getColumnNumber(), e);
    }

    /**
     * Disqus writes {@code 2013-10-10T19:20:29Z}; some tools that edit exports drop the zone (read as UTC) or add
     * an offset or fractions. Anything else is no date.
     */
    static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notWithZone) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notAtAll) {
                return null;
            }
        }
    }

    private static boolean bool(String text) {
        return text != null && text.strip().equalsIgnoreCase("true");
    }

    private static String strip(String text) {
        return text == null ? null : text.strip();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    @Override
    public void close() {
        try {
            xml.close();
            in.close();
        } catch (XMLStreamException | IOException e) {
            // closing a file we only read: nothing is lost
        }
    }
}
