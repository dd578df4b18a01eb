package org.parley.disqus;

import org.junit.jupiter.api.Test;
import org.parley.disqus.ExportItem.ExportPost;
import org.parley.disqus.ExportItem.ExportThread;
import org.parley.disqus.ExportItem.Skipped;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportReaderTest {
    @Test
    void aSmallBlogsExportReadsItsThreadsPostsRepliesAndOrphans() throws IOException {
        List<ExportItem> items = readAll(resource("small-blog.xml"));

        assertThat(items).hasSize(5);
        ExportThread hello = (ExportThread) items.get(0);
        assertThat(hello).isEqualTo(new ExportThread(20, "hello-world", "http://blog.example.org/hello-world/",
                "Hello, World!", false, false, Instant.parse("2012-12-12T12:12:12Z"), 12));
        ExportThread empty = (ExportThread) items.get(1);
        assertThat(empty.disqusId()).isEqualTo(21);
        assertThat(empty.identifier()).isNull();
        assertThat(empty.link()).isNull();

        ExportPost first = (ExportPost) items.get(2);
        assertThat(first.disqusId()).isEqualTo(30);
        assertThat(first.threadDisqusId()).isEqualTo(20);
        assertThat(first.parentDisqusId()).isNull();
        assertThat(first.message()).isEqualTo("First!");
        assertThat(first.author()).isEqualTo(new ExportItem.Author("Peter", "peter@example.org", null, true));
        assertThat(first.ip()).isEqualTo("127.0.0.1");

        ExportPost reply = (ExportPost) items.get(3);
        assertThat(reply.parentDisqusId()).isEqualTo(30);
        assertThat(reply.message()).isEqualTo("<p>Hello, <b>World</b> &amp; friends.</p>"); // CDATA: as written
        assertThat(reply.author().username()).isEqualTo("auser");
        assertThat(reply.author().anonymous()).isFalse();
        assertThat(reply.ip()).isEqualTo("2001:db8::1");
        assertThat(reply.createdAt()).isEqualTo(Instant.parse("2013-10-11T06:51:33Z"));

        // the reader cannot know the thread is missing (threads could come later): the import reports it
        ExportPost orphan = (ExportPost) items.get(4);
        assertThat(orphan.threadDisqusId()).isEqualTo(1337);
    }

    @Test
    void aPodcastsExportKeepsClosedThreadsDeletedAndSpamPostsAndCyrillicText() throws IOException {
        List<ExportItem> items = readAll(resource("podcast.xml"));

        assertThat(items).hasSize(7);
        ExportThread byLink = (ExportThread) items.get(0);
        assertThat(byLink.identifier()).isNull();
        assertThat(byLink.link()).isEqualTo("http://podcast.example.com/2011/03/229_8880.html");
        assertThat(byLink.title()).isEqualTo("Подкаст: выпуск 229");
        ExportThread closed = (ExportThread) items.get(1);
        assertThat(closed.identifier()).isEqualTo("http://www.podcast.example.com/p/2011/03/05/podcast-229/");
        assertThat(closed.closed()).isTrue();

        ExportPost spam = (ExportPost) items.get(2);
        assertThat(spam.spam()).isTrue();
        assertThat(spam.deleted()).isFalse();
        assertThat(spam.message()).startsWith("<p>Недавно посмотрел").contains("rel=\"nofollow noopener\"");
        ExportPost deleted = (ExportPost) items.get(3);
        assertThat(deleted.deleted()).isTrue();
        ExportPost replyToDeleted = (ExportPost) items.get(4);
        assertThat(replyToDeleted.parentDisqusId()).isEqualTo(deleted.disqusId());
        assertThat(((ExportPost) items.get(5)).parentDisqusId()).isEqualTo(replyToDeleted.disqusId());
        assertThat(((ExportPost) items.get(6)).threadDisqusId()).isEqualTo(byLink.disqusId());
    }

    @Test
    void aHandEditedGzippedExportIsReadAndEachUnusablePostSaysWhyAndWhere() throws IOException {
        byte[] plain = resource("hand-edited.xml").readAllBytes();

        List<ExportItem> items = readAll(new ByteArrayInputStream(gzip(plain)));

        assertThat(items).hasSize(8);
        ExportThread first = (ExportThread) items.get(0);
        assertThat(first.title()).isEqualTo("First & foremost");
        assertThat(first.line()).isEqualTo(7); // the BOM line and the blank line before <?xml count
        ExportThread noZone = (ExportThread) items.get(1);
        assertThat(noZone.createdAt()).isEqualTo(Instant.parse("2016-06-07T08:09:10Z"));
        assertThat(noZone.closed()).isFalse();

        ExportPost escaped = (ExportPost) items.get(2);
        assertThat(escaped.message()).isEqualTo("<p>Escaped <em>HTML</em> &amp; an entity: café</p>");
        assertThat(escaped.author().email()).isEqualTo("ana@example.pt");
        assertThat(items.get(3)).isEqualTo(new Skipped("post 1001", "its createdAt 'yesterday' is not a date", 10));
        assertThat(items.get(4)).isEqualTo(new Skipped("post 1002", "it names no thread", 11));
        ExportPost orphanReply = (ExportPost) items.get(5);
        assertThat(orphanReply.parentDisqusId()).isEqualTo(999);
        assertThat(((ExportPost) items.get(6)).disqusId()).isEqualTo(1000); // a duplicate: the import decides
        ExportPost noAuthorEmail = (ExportPost) items.get(7);
        assertThat(noAuthorEmail.author()).isEqualTo(new ExportItem.Author("Inês", null, null, false));
        assertThat(noAuthorEmail.createdAt()).isEqualTo(Instant.parse("2016-06-08T12:00:00Z"));
    }

    @Test
    void aFileCutShortFailsWithTheLineAndColumn() {
        String cut = "<?xml version=\"1.0\"?>\n<disqus>\n<thread dsq:id=\"1\"><id>a</id>\n<title>Cut";

        assertThatThrownBy(() -> readAll(stream(cut)))
                .isInstanceOf(ExportFormatException.class)
                .satisfies(e -> assertThat(((ExportFormatException) e).line()).isEqualTo(4))
                .hasMessageContaining("line 4");
    }

    @Test
    void brokenXmlFailsWithWhereItBroke() {
        String broken = "<?xml version=\"1.0\"?>\n<disqus>\n<post dsq:id=\"1\"><message>a < b</message></post>\n</disqus>";

        assertThatThrownBy(() -> readAll(stream(broken)))
                .isInstanceOf(ExportFormatException.class)
                .hasMessageStartingWith("The export is not well-formed XML")
                .hasMessageContaining("line 3");
    }

    @Test
    void anotherXmlFileIsNotTakenForAnExport() {
        assertThatThrownBy(() -> readAll(stream("<?xml version=\"1.0\"?>\n<rss><channel/></rss>")))
                .isInstanceOf(ExportFormatException.class)
                .hasMessageContaining("its first element is <rss>, not <disqus>");
        assertThatThrownBy(() -> readAll(stream("   \n")))
                .isInstanceOf(ExportFormatException.class)
                .hasMessageContaining("The file is empty");
    }

    @Test
    void aDoctypeWithAnExternalEntityIsRefusedNotFetched() {
        String hostile = "<?xml version=\"1.0\"?>\n<!DOCTYPE disqus [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                + "<disqus><post dsq:id=\"1\"><message>&x;</message><createdAt>2015-01-01T00:00:00Z</createdAt>"
                + "<thread dsq:id=\"2\"/></post></disqus>";

        assertThatThrownBy(() -> readAll(stream(hostile)))
                .isInstanceOf(ExportFormatException.class)
                .hasMessageNotContaining("root:");
    }

    private static List<ExportItem> readAll(InputStream in) {
        List<ExportItem> items = new ArrayList<>();
        try (ExportReader reader = ExportReader.open(in)) {
            for (ExportItem item = reader.next(); item != null; item = reader.next()) {
                items.add(item);
            }
        }
        return items;
    }

    private static InputStream resource(String name) {
        InputStream in = ExportReaderTest.class.getResourceAsStream("/disqus/" + name);
        assertThat(in).as(name).isNotNull();
        return in;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }
}
