package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.owasp.html.Encoding;
import org.parley.web.HttpError;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Asserts what a reader's browser receives. The sanitiser's output is normalised HTML — every {@code <} in text
 * escaped, attributes double-quoted with quotes inside escaped — so the small regular expressions below see
 * exactly the tags and attributes a browser would.
 */
class MarkdownTest {
    private static final String RELS = "rel=\"nofollow ugc noopener\"";
    private static final Set<String> ALLOWED_TAGS = Set.of(
            "p", "br", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a");
    private static final Set<String> ALLOWED_ATTRIBUTES = Set.of("href", "rel", "start");
    private static final Pattern TAG = Pattern.compile("<(/?)([^\\s/>]+)([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("\\s([^\\s=/>]+)=\"([^\"]*)\"");
    private static final Pattern LINK = Pattern.compile("<a href=\"([^\"]*)\" ([^>]*)>(.*?)</a>");
    private static final Pattern INVISIBLE = Pattern.compile("[\\u202A-\\u202E\\u2066-\\u2069\\u200B\\uFEFF]");
    private static final String LONG_WORD = "x".repeat(10_000);

    // --- what comments may use -------------------------------------------------------------------------------

    @Test
    void emphasisStrongAndInlineCodeRender() {
        assertThat(html("*soft* **loud** `x < y`"))
                .isEqualTo("<p><em>soft</em> <strong>loud</strong> <code>x &lt; y</code></p>");
    }

    @Test
    void listsRenderAndAnOrderedListKeepsItsStartNumber() {
        assertThat(html("- apples\n- pears")).isEqualTo("<ul><li>apples</li><li>pears</li></ul>");
        assertThat(html("3. third\n4. fourth")).isEqualTo("<ol start=\"3\"><li>third</li><li>fourth</li></ol>");
    }

    @Test
    void quotesRender() {
        assertThat(html("> you said\n\nI disagree"))
                .isEqualTo("<blockquote>\n<p>you said</p>\n</blockquote>\n<p>I disagree</p>");
    }

    @Test
    void codeBlocksKeepTheirTextEscapedAndLoseTheLanguageClass() {
        assertThat(html("```html\n<b>bold</b>\n```"))
                .isEqualTo("<pre><code>&lt;b&gt;bold&lt;/b&gt;\n</code></pre>");
    }

    @Test
    void twoTrailingSpacesBreakTheLine() {
        assertThat(html("roses  \nviolets")).isEqualTo("<p>roses<br />\nviolets</p>");
    }

    @Test
    void aLinkGetsExactlyTheUgcRelsAndNothingElse() {
        assertThat(html("[site](https://example.com/page \"a title\")"))
                .isEqualTo("<p><a href=\"https://example.com/page\" " + RELS + ">site</a></p>");
    }

    @Test
    void bareUrlsAndEmailAddressesBecomeLinksWithTheSameRels() {
        assertThat(links(html("see https://example.com/a and www.example.org, or write to bob@example.com")))
                .containsExactly(
                        new Link("https://example.com/a", RELS, "https://example.com/a"),
                        new Link("http://www.example.org", RELS, "www.example.org"),
                        new Link("mailto:bob@example.com", RELS, "bob@example.com"));
    }

    @Test
    void mailtoLinksAreAllowed() {
        assertThat(links(html("[write to me](mailto:ada@example.com)")))
                .containsExactly(new Link("mailto:ada@example.com", RELS, "write to me"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/file", "/relative/page", "//evil.example/x", "irc://example.com"})
    void linksWithOtherSchemesOrNoSchemeStayPlainText(String url) {
        String html = html("[the text](" + url + ")");

        assertThat(html).isEqualTo("<p>the text</p>");
    }

    @Test
    void headingsRenderAsABoldParagraph() {
        assertThat(html("# Big news\n\nbody")).isEqualTo("<p><strong>Big news</strong></p>\n<p>body</p>");
    }

    @Test
    void imagesShowTheirAltTextAndFetchNothing() {
        String html = html("![a cat](https://tracker.example/pixel.png) and "
                + "[![logo](https://tracker.example/l.png)](https://example.com)");

        assertThat(html).doesNotContain("tracker.example");
        assertThat(html).isEqualTo("<p>a cat and <a href=\"https://example.com\" " + RELS + ">logo</a></p>");
    }

    @Test
    void tablesAndRulesAreNotRenderedButTheirTextStays() {
        String html = html("| a | b |\n|---|---|\n| 1 | 2 |\n\n---");

        assertThat(html).doesNotContain("<table", "<hr");
        assertThat(visibleText(html)).contains("| a | b |", "| 1 | 2 |");
    }

    @Test
    void theOutputIsAFragment() {
        assertThat(html("hello")).isEqualTo("<p>hello</p>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\n", " \t\r\n ", "\u200B"})
    void blankSourceRendersNothing(String source) {
        assertThat(Markdown.toHtml(source)).isEmpty();
    }

    @Test
    void deepNestingIsCappedAndTheTextKept() {
        String html = html(">".repeat(1_000) + " deep");

        assertThat(Pattern.compile("<blockquote>").matcher(html).results().count()).isEqualTo(32);
        assertThat(visibleText(html)).contains("deep");
    }

    @Test
    void linkTargetsArePercentEncodedSoBrowsersReadThemAsWritten() {
        // CommonMark keeps an autolink's target verbatim; a raw backslash is a "/" to a browser
        assertThat(links(html("<https://example.com/\\[\\>")).getFirst().href())
                .isEqualTo("https://example.com/%5C%5B%5C");
        assertThat(links(html("[x](https://example.com/a\\\\b)")).getFirst().href())
                .isEqualTo("https://example.com/a%5Cb");
        assertThat(links(html("[x](<https://example.com/a b é>)")).getFirst().href())
                .isEqualTo("https://example.com/a%20b%20%C3%A9");
        assertThat(links(html("https://example.com/{x}|^")).getFirst().href())
                .isEqualToIgnoringCase("https://example.com/%7Bx%7D%7C%5E");
    }

    @Test
    void escapesAlreadyInALinkAreKeptAndABrokenOneIsEncoded() {
        assertThat(links(html("[x](https://example.com/a%2Fb?q=%C3%A9)")).getFirst().href())
                .isEqualTo("https://example.com/a%2Fb?q=%C3%A9");
        assertThat(links(html("[x](https://example.com/100%zz)")).getFirst().href())
                .isEqualTo("https://example.com/100%25zz");
    }

    @Test
    void squareBracketsSurviveOnlyAroundAnIpv6Host() {
        assertThat(links(html("<http://[2001:db8::1]:8080/a[1]>")).getFirst().href())
                .isEqualTo("http://[2001:db8::1]:8080/a%5B1%5D");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<https://example.com/\\[\\>", "[x](https://example.com/\"><b>)",
        "[x](<https://exa mple.com/\u0000\u202E>)", "https://example.com/<>`", "[x](https://example.com/#a#b)",
        "<mailto:a b@example.com>", "[x](https://example.com/\u00e9\ud83d\ude00)"})
    void everyHrefIsInTheUrlAlphabet(String source) {
        for (Link link : links(html(source))) {
            assertThat(link.href()).as("href of %s", source)
                    .matches("[A-Za-z0-9\\-._~:/?#@!$&'()*+,;=%]*")
                    .doesNotContainPattern("%(?![0-9A-F]{2})");
        }
    }

    @Test
    void bracketsNestedWithinTheLimitRender() {
        int limit = Markdown.MAX_BRACKET_DEPTH;
        String deepest = "![".repeat(limit) + "cat" + "]".repeat(limit);
        assertThat(visibleText(html(deepest))).contains("cat");
        // and any number of them side by side: the depth, not the count, is what costs
        String many = (deepest + " ").repeat(200);
        assertThat(Markdown.bracketDepth(many)).isEqualTo(limit);
        assertThat(visibleText(html(many)).split("cat", -1)).hasSize(201);
    }

    @ParameterizedTest
    @ValueSource(ints = {33, 1_000, 10_000, 30_000})
    void bracketsNestedDeeperThanTheLimitAreRefusedWithTheDepth(int depth) {
        for (String opener : List.of("[", "![")) {
            String source = opener.repeat(depth) + "x" + "]".repeat(depth);
            assertThat(Markdown.bracketDepth(source)).isEqualTo(depth);
            assertThatThrownBy(() -> Markdown.toHtml(source))
                    .isInstanceOfSatisfying(HttpError.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.field()).isEqualTo("body");
                        assertThat(e.getMessage()).contains(depth + " levels deep", "at most " + Markdown.MAX_BRACKET_DEPTH);
                    });
        }
    }

    @Test
    void escapedAndUnopenedBracketsDoNotCount() {
        assertThat(Markdown.bracketDepth("\\[".repeat(10_000))).isZero();
        assertThat(Markdown.bracketDepth("]".repeat(10_000) + "[a]")).isEqualTo(1);
        assertThat(visibleText(html("\\[".repeat(10_000)))).isEqualTo("[".repeat(10_000));
    }

    // --- what must stay inert --------------------------------------------------------------------------------

    record Hostile(String label, String source, String stillVisible) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Hostile> hostileSources() {
        return Stream.of(
                new Hostile("script element", "<script>alert(1)</script>", "<script>alert(1)</script>"),
                new Hostile("script block after text", "hi\n\n<script>\nalert(1)\n</script>", "<script>"),
                new Hostile("img onerror", "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
                new Hostile("javascript link", "[x](javascript:alert(1))", "x"),
                new Hostile("mixed-case javascript link", "[x](JaVaScRiPt:alert(1))", "x"),
                new Hostile("data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "x"),
                new Hostile("javascript in angle brackets", "<javascript:alert(1)>", "javascript:alert(1)"),
                new Hostile("javascript reference link", "[x][1]\n\n[1]: javascript:alert(1)", "x"),
                new Hostile("javascript image", "![x](javascript:alert(1))", "x"),
                new Hostile("raw anchor with javascript", "<a href=\"javascript:alert(1)\">x</a>",
                        "<a href=\"javascript:alert(1)\">x</a>"),
                new Hostile("svg onload", "<svg onload=alert(1)>", "<svg onload=alert(1)>"),
                new Hostile("iframe", "<iframe src=\"https://evil.example/\"></iframe>", "<iframe src="),
                new Hostile("style", "<style>body { display: none }</style>", "<style>body { display: none }</style>"),
                new Hostile("unclosed tags", "<b><i>x</b>", "<b><i>x</b>"),
                new Hostile("attribute breakout", "\"><script>alert(1)</script>", "\"><script>alert(1)</script>"),
                new Hostile("entity-encoded javascript link", "[x](&#106;avascript:alert(1))", "x"),
                new Hostile("entity-encoded javascript in raw anchor", "<a href=\"&#106;avascript:alert(1)\">x</a>",
                        "<a href=\"&#106;avascript:alert(1)\">x</a>"),
                new Hostile("event handler in a link title", "[x](https://example.com \"onmouseover=alert(1)\")", "x"),
                new Hostile("quote in a link URL", "[x](https://example.com/\"onmouseover=alert(1))", "x"),
                new Hostile("10 000-character word", LONG_WORD, LONG_WORD),
                new Hostile("right-to-left override", "invoice\u202Efdp.exe", "invoicefdp.exe"),
                new Hostile("bidi isolate", "a\u2067b\u2069c", "abc"),
                new Hostile("zero-width space", "ad\u200Bmin", "admin"),
                new Hostile("byte-order mark", "\uFEFFhello", "hello"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileSources")
    void hostileSourceRendersInertAndKeepsItsText(Hostile hostile) {
        String html = Markdown.toHtml(hostile.source());

        assertThat(html).doesNotContainIgnoringCase("<script");
        assertThat(html).doesNotContainIgnoringCase("<iframe");
        assertThat(html).doesNotContainIgnoringCase("<svg");
        assertThat(html).doesNotContainIgnoringCase("<style");
        assertThat(html).doesNotContainIgnoringCase("<img");
        assertOnlyAllowedMarkup(html);
        assertThat(INVISIBLE.matcher(html).find()).as("bidi control or zero-width character in %s", html).isFalse();
        assertThat(visibleText(html)).contains(hostile.stillVisible());
    }

    @Test
    void rawHtmlIsShownAsEscapedText() {
        assertThat(html("<script>alert(1)</script>")).isEqualTo("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    }

    @Test
    void aRefusedLinkKeepsItsTextButIsNoLink() {
        assertThat(html("[click me](javascript:alert(1))")).isEqualTo("<p>click me</p>");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    record Link(String href, String otherAttributes, String text) {
    }

    private static String html(String source) {
        return Markdown.toHtml(source).strip();
    }

    /** What the reader reads: tags removed, entities decoded. */
    private static String visibleText(String html) {
        return Encoding.decodeHtml(TAG.matcher(html).replaceAll(""), false);
    }

    private static List<Link> links(String html) {
        List<Link> links = new ArrayList<>();
        Matcher m = LINK.matcher(html);
        while (m.find()) {
            links.add(new Link(Encoding.decodeHtml(m.group(1), true), m.group(2), visibleText(m.group(3))));
        }
        return links;
    }

    /** Every tag on the allow-list, every attribute href/rel/start, no event handler, every URL http(s)/mailto. */
    private static void assertOnlyAllowedMarkup(String html) {
        Matcher tag = TAG.matcher(html);
        while (tag.find()) {
            assertThat(tag.group(2).toLowerCase(Locale.ROOT)).as("tag in %s", html).isIn(ALLOWED_TAGS);
            String attributes = tag.group(3);
            assertThat(attributes).as("attributes in %s", html).doesNotContainPattern("(?i)\\bon[a-z]+\\s*=");
            Matcher attribute = ATTRIBUTE.matcher(attributes);
            while (attribute.find()) {
                assertThat(attribute.group(1)).as("attribute in %s", html).isIn(ALLOWED_ATTRIBUTES);
                String value = Encoding.decodeHtml(attribute.group(2), true).toLowerCase(Locale.ROOT);
                assertThat(value).as("attribute value in %s", html).doesNotContain("javascript:", "data:");
                if (attribute.group(1).equals("href")) {
                    assertThat(value).as("link in %s", html).matches("(https?|mailto):.*");
                }
            }
            assertThat(attribute.replaceAll("")).as("leftover in tag of %s", html).matches("\\s*/?");
        }
    }
}
