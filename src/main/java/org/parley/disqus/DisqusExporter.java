package org.parley.disqus;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.parley.data.Databases;
import org.parley.discussion.CommentView.State;
import org.parley.discussion.Markdown;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.THREAD;

/**
 * {@code parley export-disqus}: one site as a Disqus export, the format Disqus and the other self-hosted engines
 * import, written with StAX while the rows stream from each shard through a cursor, so a site of any size takes
 * the memory of one batch of rows.
 *
 * <p>Disqus writes every thread before the posts; so does this, one shard after another. Ids are Parley's own
 * (thread and comment ids are unique across shards, and comment ids sort by time, so an importer ordering posts by
 * time and id keeps their order within a second). Times are written to the second, as Disqus does: importers parse
 * exactly that shape. A comment its author deleted is written with its kept text rendered again (the page shows
 * nothing of it, but the export must not lose it), and a comment held for moderation carries {@code isApproved=false}, the name
 * Disqus's API uses, so {@code import-disqus} restores it as held. Not carried, because the format has no place for
 * them: votes, flags, pins, edit times, and which Parley account wrote a comment (its name and email are).
 */
public final class DisqusExporter {
    private static final int FETCH = 1000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    private static final String DISQUS = "http://disqus.com";
    private static final String INTERNALS = "http://disqus.com/disqus-internals";
    private static final String CATEGORY_ID = "1";

    /** What an export wrote. */
    public record Summary(int threads, long posts) {
    }

    /** Hears how many posts of the site's total are written. */
    public interface Progress {
        void written(long posts, long total);
    }

    private final Databases databases;

    public DisqusExporter(Databases databases) {
        this.databases = databases;
    }

    /** Writes site {@code siteId} (named {@code forum}) to {@code out}, which is flushed, not closed. */
    public Summary export(long siteId, String forum, OutputStream out, Progress progress) {
        int shards = databases.shardMap().shardCount();
        long total = 0;
        for (int shard = 0; shard < shards; shard++) {
            total += databases.write(shard).fetchCount(COMMENT, COMMENT.SITE_ID.eq(siteId));
        }
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.setDefaultNamespace(DISQUS);
            xml.setPrefix("dsq", INTERNALS);
            xml.writeStartElement(DISQUS, "disqus");
            xml.writeDefaultNamespace(DISQUS);
            xml.writeNamespace("dsq", INTERNALS);
            open(xml, 1, "category", CATEGORY_ID);
            text(xml, 2, "forum", forum);
            text(xml, 2, "title", "General");
            text(xml, 2, "isDefault", "true");
            close(xml, 1);
            int threads = 0;
            for (int shard = 0; shard < shards; shard++) {
                threads += threads(databases.write(shard), siteId, forum, xml);
            }
            long posts = 0;
            for (int shard = 0; shard < shards; shard++) {
                posts = posts(databases.write(shard), siteId, xml, posts, total, progress);
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.flush();
            progress.written(posts, posts);
            return new Summary(threads, posts);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot write the export: " + e.getMessage(), e);
        }
    }

    private static int threads(DSLContext shard, long siteId, String forum, XMLStreamWriter xml) {
        return shard.transactionResult(tx -> {
            int written = 0;
            try (var rows = DSL.using(tx).select(THREAD.ID, THREAD.KEY, THREAD.URL, THREAD.TITLE, THREAD.CLOSED,
                            THREAD.CREATED_AT).from(THREAD).where(THREAD.SITE_ID.eq(siteId)).orderBy(THREAD.ID)
                    .fetchSize(FETCH).fetchLazy()) {
                for (var t : rows) {
                    open(xml, 1, "thread", t.value1().toString());
                    text(xml, 2, "id", t.value2());
                    text(xml, 2, "forum", forum);
                    empty(xml, 2, "category", CATEGORY_ID);
                    text(xml, 2, "link", t.value3() == null ? "" : t.value3());
                    text(xml, 2, "title", t.value4());
                    text(xml, 2, "message", "");
                    text(xml, 2, "createdAt", time(t.value6()));
                    text(xml, 2, "isClosed", t.value5().toString());
                    text(xml, 2, "isDeleted", "false");
                    close(xml, 1);
                    written++;
                }
            }
            return written;
        });
    }

    private static long posts(DSLContext shard, long siteId, XMLStreamWriter xml, long before, long total,
                              Progress progress) {
        return shard.transactionResult(tx -> {
            long written = before;
            try (var rows = DSL.using(tx).select(COMMENT.ID, COMMENT.THREAD_ID, COMMENT.PARENT_ID, COMMENT.STATE,
                            COMMENT.BODY_SOURCE, COMMENT.BODY_HTML, COMMENT.AUTHOR_NAME, COMMENT.AUTHOR_EMAIL,
                            COMMENT.AUTHOR_ACCOUNT_ID, COMMENT.IP, COMMENT.CREATED_AT)
                    .from(COMMENT).where(COMMENT.SITE_ID.eq(siteId)).orderBy(COMMENT.ID)
                    .fetchSize(FETCH).fetchLazy()) {
                for (var c : rows) {
                    State state = State.of(c.value4());
                    open(xml, 1, "post", c.value1().toString());
                    text(xml, 2, "id", "");
                    // an author's own deletion empties the rendering and keeps the text, for moderators and for this
                    message(xml, c.value6().isEmpty() ? Markdown.toHtml(c.value5()) : c.value6());
                    text(xml, 2, "createdAt", time(c.value11()));
                    text(xml, 2, "isDeleted", Boolean.toString(state == State.DELETED));
                    text(xml, 2, "isSpam", Boolean.toString(state == State.SPAM));
                    if (state == State.PENDING) {
                        text(xml, 2, "isApproved", "false");
                    }
                    open(xml, 2, "author", null);
                    if (c.value8() != null) {
                        text(xml, 3, "email", c.value8());
                    }
                    text(xml, 3, "name", c.value7());
                    text(xml, 3, "isAnonymous", Boolean.toString(c.value9() == null));
                    close(xml, 2);
                    if (c.value10() != null) {
                        text(xml, 2, "ipAddress", c.value10().toString());
                    }
                    empty(xml, 2, "thread", c.value2().toString());
                    if (c.value3() != null) {
                        empty(xml, 2, "parent", c.value3().toString());
                    }
                    close(xml, 1);
                    if (++written % FETCH == 0 && written < total) { // the last report comes once, at the end
                        progress.written(written, total);
                    }
                }
            }
            return written;
        });
    }

    private static String time(OffsetDateTime at) {
        return TIME.format(at.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code <name dsq:id="id">} on a new line, indented; a null id writes none. */
    private static void open(XMLStreamWriter xml, int depth, String name, String id) throws XMLStreamException {
        indent(xml, depth);
        xml.writeStartElement(DISQUS, name);
        if (id != null) {
            xml.writeAttribute("dsq", INTERNALS, "id", id);
        }
    }

    private static void close(XMLStreamWriter xml, int depth) throws XMLStreamException {
        indent(xml, depth);
        xml.writeEndElement();
    }

    private static void empty(XMLStreamWriter xml, int depth, String name, String id) throws XMLStreamException {
        indent(xml, depth);
        xml.writeEmptyElement(DISQUS, name);
        xml.writeAttribute("dsq", INTERNALS, "id", id);
    }

    private static void text(XMLStreamWriter xml, int depth, String name, String value) throws XMLStreamException {
        indent(xml, depth);
        xml.writeStartElement(DISQUS, name);
        xml.writeCharacters(xmlSafe(value));
        xml.writeEndElement();
    }

    /** As Disqus writes it, HTML in CDATA (readable, and what importers expect); escaped if it cannot be CDATA. */
    private static void message(XMLStreamWriter xml, String html) throws XMLStreamException {
        indent(xml, 2);
        xml.writeStartElement(DISQUS, "message");
        String safe = xmlSafe(html);
        if (safe.contains("]]>")) {
            xml.writeCharacters(safe);
        } else {
            xml.writeCData(safe);
        }
        xml.writeEndElement();
    }

    private static void indent(XMLStreamWriter xml, int depth) throws XMLStreamException {
        xml.writeCharacters("\n" + "    ".repeat(depth));
    }

    /**
     * The text without the characters XML 1.0 cannot carry at all (control characters other than tab and line
     * ends, unpaired surrogates): the writer escapes markup but would write these as they are, and no reader would
     * accept the file.
     */
    static String xmlSafe(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || pair;
            if (!allowed && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                if (pair) {
                    out.append(c).append(text.charAt(++i));
                } else if (allowed) {
                    out.append(c);
                }
            } else if (pair) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }
}
