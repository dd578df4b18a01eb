package org.parley.feed;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A {@link Feed} as Atom 1.0 (RFC 4287) or RSS 2.0. Comments are HTML already sanitised when they were written; in
 * Atom they go in {@code <content type="html">}, in RSS in {@code <description>}, escaped as the formats require.
 * Each entry's id and link is the comment's permalink, which stays valid while the comment exists.
 */
final class FeedWriter {
    static final String ATOM_TYPE = "application/atom+xml; charset=utf-8";
    static final String RSS_TYPE = "application/rss+xml; charset=utf-8";
    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String DC = "http://purl.org/dc/elements/1.1/";

    private FeedWriter() {
    }

    static byte[] atom(Feed feed, String publicUrl) {
        return write(xml -> {
            xml.setDefaultNamespace(ATOM);
            xml.writeStartElement(ATOM, "feed");
            xml.writeDefaultNamespace(ATOM);
            text(xml, "title", feed.title());
            text(xml, "id", feed.id());
            text(xml, "updated", rfc3339(feed.updated()));
            link(xml, "self", "application/atom+xml", feed.selfUrl());
            link(xml, "alternate", "text/html", feed.pageUrl());
            xml.writeStartElement("generator");
            xml.writeAttribute("uri", "https://github.com/parley");
            xml.writeCharacters("Parley");
            xml.writeEndElement();
            for (FeedEntry e : feed.entries()) {
                xml.writeStartElement("entry");
                text(xml, "title", entryTitle(e));
                String permalink = publicUrl + "/c/" + e.id();
                text(xml, "id", permalink);
                text(xml, "published", rfc3339(e.createdAt()));
                text(xml, "updated", rfc3339(e.createdAt()));
                xml.writeStartElement("author");
                text(xml, "name", e.authorName());
                xml.writeEndElement();
                link(xml, "alternate", "text/html", permalink);
                xml.writeStartElement("content");
                xml.writeAttribute("type", "html");
                xml.writeCharacters(e.html().strip());
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeEndElement();
        });
    }

    static byte[] rss(Feed feed, String publicUrl) {
        return write(xml -> {
            xml.writeStartElement("rss");
            xml.writeAttribute("version", "2.0");
            xml.writeNamespace("atom", ATOM);
            xml.writeNamespace("dc", DC);
            xml.writeStartElement("channel");
            text(xml, "title", feed.title());
            text(xml, "link", feed.pageUrl());
            text(xml, "description", feed.title());
            text(xml, "lastBuildDate", rfc822(feed.updated()));
            xml.writeEmptyElement(ATOM, "link");
            xml.writeAttribute("href", feed.selfUrl());
            xml.writeAttribute("rel", "self");
            xml.writeAttribute("type", "application/rss+xml");
            text(xml, "generator", "Parley");
            for (FeedEntry e : feed.entries()) {
                xml.writeStartElement("item");
                String permalink = publicUrl + "/c/" + e.id();
                text(xml, "title", entryTitle(e));
                text(xml, "link", permalink);
                xml.writeStartElement("guid");
                xml.writeAttribute("isPermaLink", "true");
                xml.writeCharacters(permalink);
                xml.writeEndElement();
                text(xml, "pubDate", rfc822(e.createdAt()));
                xml.writeStartElement(DC, "creator");
                xml.writeCharacters(e.authorName());
                xml.writeEndElement();
                text(xml, "description", e.html().strip());
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndElement();
        });
    }

    private static String entryTitle(FeedEntry e) {
        String thread = e.threadTitle() == null || e.threadTitle().isEmpty() ? e.threadKey() : e.threadTitle();
        return e.authorName() + " on “" + thread + "”";
    }

    private interface Body {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            body.write(xml);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write a feed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static void text(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }

    private static void link(XMLStreamWriter xml, String rel, String type, String href) throws XMLStreamException {
        xml.writeEmptyElement("link");
        xml.writeAttribute("rel", rel);
        xml.writeAttribute("type", type);
        xml.writeAttribute("href", href);
    }

    private static String rfc3339(java.time.OffsetDateTime at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    private static String rfc822(java.time.OffsetDateTime at) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
