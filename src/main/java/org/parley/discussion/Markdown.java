package org.parley.discussion;

import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.DefaultUrlSanitizer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.parley.web.DisplayText;
import org.parley.web.HttpError;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a comment's CommonMark source into the HTML fragment shown to readers. It runs once, when a comment is
 * written or edited; the result is stored, so pages only copy it out.
 *
 * <p>Two walls, so that a mistake in one is not a hole: CommonMark escapes every piece of raw HTML in the source
 * (it shows as text) and drops links with unwanted schemes; then an allow-list sanitiser keeps only the handful
 * of elements Markdown can produce and forces {@code rel="nofollow ugc noopener"} on every link — comments are
 * user-generated content that spammers target, and {@code nofollow ugc} takes away the search-engine reward.
 * Headings would let a comment shout over the page, so they render as a bold paragraph; images would make every
 * reader's browser fetch from a host the author picked (tracking, mixed content), so only their alt text is kept.
 */
public final class Markdown {
    /** The only link schemes a reader can follow; relative links are refused, they would resolve on our host. */
    private static final List<String> LINK_SCHEMES = List.of("http", "https", "mailto");
    private static final String[] LINK_RELS = {"nofollow", "ugc", "noopener"};
    /** What CommonMark produces, minus headings, images and rules; del waits for the strikethrough extension. */
    private static final String[] ALLOWED_ELEMENTS = {
        "p", "br", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a"};
    /** CommonMark accepts at most nine digits for an ordered list's start number. */
    private static final Pattern LIST_START = Pattern.compile("[0-9]{1,9}");
    /**
     * Nesting deeper than any real comment needs; caps the work and the renderers' recursion for hostile input
     * such as ten thousand {@code >} in a row.
     */
    private static final int MAX_NESTING = 32;
    /**
     * How deep {@code [} (links, and images as {@code ![}) may nest. CommonMark resolves each closing bracket by
     * reading the text back to its opener, so nested brackets cost the square of their depth: ten thousand
     * characters of {@code ![![![…} took a third of a second and grew faster than linearly. At most this many levels
     * bound the work by depth × length, linear in the comment; a real comment rarely nests two.
     */
    public static final int MAX_BRACKET_DEPTH = MAX_NESTING;
    /** Characters a URL may hold as they are (RFC 3986 reserved and unreserved, besides letters and digits). */
    private static final String URL_SAFE = "-._~:/?#@!$&'()*+,;=";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static final Parser PARSER = Parser.builder()
            .extensions(List.of(AutolinkExtension.create()))
            .maxOpenBlockParsers(MAX_NESTING)
            .maxInlineNesting(MAX_NESTING)
            .build();

    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .urlSanitizer(new DefaultUrlSanitizer(LINK_SCHEMES))
            .nodeRendererFactory(PlainHeadingsAndImages::new)
            .build();

    private static final PolicyFactory POLICY = allowList().toFactory();

    /** The same allow-list for HTML written elsewhere (imports), where bold and italic come as b and i. */
    private static final PolicyFactory IMPORTED_POLICY = allowList()
            .allowElements((element, attributes) -> "strong", "b")
            .allowElements((element, attributes) -> "em", "i")
            .toFactory();

    private static HtmlPolicyBuilder allowList() {
        return new HtmlPolicyBuilder()
                .allowElements(ALLOWED_ELEMENTS)
                .allowUrlProtocols(LINK_SCHEMES.toArray(String[]::new))
                // allowUrlProtocols alone lets relative URLs through, "" included (CommonMark's answer to a refused
                // URL); with no href left the sanitiser drops the <a> and keeps its text
                .allowAttributes("href").matching((element, attribute, url) -> hasLinkScheme(url) ? encodeUrl(url) : null)
                .onElements("a")
                .requireRelsOnLinks(LINK_RELS)
                .allowAttributes("start").matching(LIST_START).onElements("ol");
    }

    private Markdown() {
    }

    /**
     * The safe HTML fragment for a comment's source, or "" when the source is blank (the caller refuses those).
     * The source is cleaned with {@link DisplayText#cleanBody} first; the caller should store that cleaned form.
     */
    public static String toHtml(String source) {
        String clean = DisplayText.cleanBody(source);
        if (clean.isBlank()) {
            return "";
        }
        int depth = bracketDepth(clean);
        if (depth > MAX_BRACKET_DEPTH) {
            throw HttpError.wordedField(400, "body", "comment.error.brackets", Integer.toString(depth),
                    Integer.toString(MAX_BRACKET_DEPTH));
        }
        String plain = PlainParagraphs.toHtml(clean);
        return plain != null ? plain : parsed(clean);
    }

    /** Through the parser and the sanitiser, whatever the text: what {@link PlainParagraphs} must equal. */
    static String parsed(String clean) {
        return POLICY.sanitize(RENDERER.render(PARSER.parse(clean)));
    }

    /**
     * HTML from another comment system (a Disqus export), through the allow-list new comments pass: what it cannot
     * show safely is dropped, its text kept; links get the same {@code rel}.
     */
    public static String sanitizeImported(String html) {
        return IMPORTED_POLICY.sanitize(DisplayText.cleanBody(html));
    }

    /**
     * The deepest nesting of opening brackets, counted the way the parser would meet them ({@code \[} is text, a
     * {@code ]} closes the innermost). Code spans are counted too: cheaper than parsing, and never the difference
     * for a real comment.
     */
    static int bracketDepth(String source) {
        int depth = 0;
        int deepest = 0;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\') {
                i++; // an escaped character is text
            } else if (c == '[') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ']' && depth > 0) {
                depth--;
            }
        }
        return deepest;
    }

    /**
     * A link target as browsers must read it: every character outside the URL alphabet percent-encoded (as UTF-8),
     * escapes already there kept. CommonMark leaves an autolink's target as written, so
     * {@code <https://example.com/\[\>} became {@code href="https://example.com/\[\"}, which browsers read
     * with the backslashes as slashes. Square brackets are kept only around an IPv6 host.
     */
    static String encodeUrl(String url) {
        int colon = url.indexOf(':');
        boolean hasHost = colon > 0 && url.startsWith("://", colon);
        int hostStart = hasHost ? colon + 3 : -1;
        int hostEnd = hasHost ? endOfAuthority(url, hostStart) : -1;
        StringBuilder out = new StringBuilder(url.length() + 16);
        for (int i = 0; i < url.length(); ) {
            int cp = url.codePointAt(i);
            int width = Character.charCount(cp);
            boolean ipv6Bracket = (cp == '[' || cp == ']') && i >= hostStart && i < hostEnd;
            if (isUrlChar(cp) || ipv6Bracket || (cp == '%' && isEscape(url, i))) {
                out.appendCodePoint(cp);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            }
            i += width;
        }
        return out.toString();
    }

    private static int endOfAuthority(String url, int from) {
        for (int i = from; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#' || c == '\\') {
                return i;
            }
        }
        return url.length();
    }

    private static boolean isUrlChar(int cp) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                || (cp < 0x80 && URL_SAFE.indexOf(cp) >= 0);
    }

    private static boolean isEscape(String url, int percent) {
        return percent + 2 < url.length() && isHex(url.charAt(percent + 1)) && isHex(url.charAt(percent + 2));
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean hasLinkScheme(String url) {
        int colon = url.indexOf(':');
        return colon > 0 && LINK_SCHEMES.contains(url.substring(0, colon).toLowerCase(Locale.ROOT));
    }

    /** Headings as a bold paragraph, images as their alt text (which may sit inside a link). */
    private record PlainHeadingsAndImages(HtmlNodeRendererContext context) implements NodeRenderer {
        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Heading.class, Image.class);
        }

        @Override
        public void render(Node node) {
            if (node instanceof Heading) {
                var html = context.getWriter();
                html.line();
                html.tag("p", Map.of());
                html.tag("strong", Map.of());
                renderChildren(node);
                html.tag("/strong");
                html.tag("/p");
                html.line();
            } else {
                renderChildren(node);
            }
        }

        private void renderChildren(Node parent) {
            Node child = parent.getFirstChild();
            while (child != null) {
                Node next = child.getNext();
                context.render(child);
                child = next;
            }
        }
    }
}
