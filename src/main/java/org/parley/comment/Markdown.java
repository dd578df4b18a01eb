package org.parley.comment;

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

    private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
            .allowElements(ALLOWED_ELEMENTS)
            .allowUrlProtocols(LINK_SCHEMES.toArray(String[]::new))
            // allowUrlProtocols alone lets relative URLs through, "" included (CommonMark's answer to a refused
            // URL); with no href left the sanitiser drops the <a> and keeps its text
            .allowAttributes("href").matching((element, attribute, url) -> hasLinkScheme(url) ? url : null)
            .onElements("a")
            .requireRelsOnLinks(LINK_RELS)
            .allowAttributes("start").matching(LIST_START).onElements("ol")
            .toFactory();

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
        String rendered = RENDERER.render(PARSER.parse(clean));
        return POLICY.sanitize(rendered);
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
