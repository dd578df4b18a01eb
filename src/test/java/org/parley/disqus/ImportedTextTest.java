package org.parley.disqus;

import org.junit.jupiter.api.Test;
import org.parley.discussion.Markdown;
import org.parley.disqus.ExportItem.Author;
import org.parley.disqus.ExportItem.ExportPost;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImportedTextTest {
    @Test
    void disqusHtmlPassesTheSameAllowListAsNewCommentsWithBoldAndItalicKept() {
        String html = Markdown.sanitizeImported("<p>Hi <b>there</b> <i>you</i> <script>alert(1)</script>"
                + "<a href=\"javascript:alert(1)\">x</a> <a href=\"https://example.org/a\" rel=\"nofollow\">link</a>"
                + "<img src=\"https://tracker.example/p.gif\"></p>");

        assertThat(html).contains("<strong>there</strong>", "<em>you</em>", "x",
                        "<a href=\"https://example.org/a\" rel=\"nofollow ugc noopener\">link</a>")
                .doesNotContain("script", "alert", "javascript", "<img", "tracker");
    }

    @Test
    void theEditableSourceIsTheMarkdownThatRendersToTheSameText() {
        String html = Markdown.sanitizeImported("<p>First &amp; <b>bold</b>, <i>soft</i>, <code>x &lt; y</code></p>"
                + "<p>Second line<br>third, see <a href=\"https://example.org/\">the site</a> — caf&eacute;</p>");

        String source = ImportedText.sourceOf(html);

        assertThat(source).isEqualTo("First & **bold**, *soft*, `x < y`\n\nSecond line\nthird, see "
                + "[the site](https://example.org/) — café");
        assertThat(Markdown.toHtml(source)).contains("<strong>bold</strong>", "<em>soft</em>", "<code>x &lt; y</code>",
                "href=\"https://example.org/\"");
    }

    @Test
    void anAddressIsKeptOnlyWhenItIsOneAndNeverLookedUp() {
        assertThat(ThreadImport.ipOrNull("203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(ThreadImport.ipOrNull("2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(ThreadImport.ipOrNull("256.1.1.1")).isNull();
        assertThat(ThreadImport.ipOrNull("example.org")).isNull();
        assertThat(ThreadImport.ipOrNull("cafe")).isNull();
        assertThat(ThreadImport.ipOrNull("2001:db8::zz")).isNull();
        assertThat(ThreadImport.ipOrNull(null)).isNull();
    }

    @Test
    void aReplyThatComesBeforeItsParentInTheFileIsAppliedAfterIt() {
        ExportPost reply = post(2, 1L, "2015-01-01T00:00:00Z");
        ExportPost parent = post(1, null, "2015-01-01T00:00:05Z");
        ExportPost other = post(3, null, "2015-01-01T00:00:01Z");
        ExportPost orphan = post(4, 99L, "2015-01-01T00:00:02Z");

        assertThat(ThreadImport.parentsFirst(List.of(reply, other, orphan, parent)))
                .extracting(ExportPost::disqusId).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aCycleOfParentsDoesNotLoopForever() {
        ExportPost a = post(1, 2L, "2015-01-01T00:00:00Z");
        ExportPost b = post(2, 1L, "2015-01-01T00:00:01Z");

        assertThat(ThreadImport.parentsFirst(List.of(a, b))).extracting(ExportPost::disqusId)
                .containsExactlyInAnyOrder(1L, 2L);
    }

    private static ExportPost post(long id, Long parent, String time) {
        return new ExportPost(id, 10, parent, "m", Instant.parse(time), new Author("a", null, null, true), null,
                false, false, true, (int) id);
    }
}
