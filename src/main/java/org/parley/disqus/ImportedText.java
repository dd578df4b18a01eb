package org.parley.disqus;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The editable source of an imported comment. Parley keeps a comment's Markdown beside its HTML so it can be
 * edited; an imported comment has only HTML, already through the allow-list, so its source is that HTML written
 * back as the Markdown that renders to it: paragraphs, line breaks, links, bold, italic and code. An edit then
 * changes the text, not a page of tags.
 */
final class ImportedText {
    private static final Pattern LINK = Pattern.compile("<a href=\"([^\"]*)\"[^>]*>(.*?)</a>", Pattern.DOTALL);

    private ImportedText() {
    }

    static String sourceOf(String sanitisedHtml) {
        String s = sanitisedHtml.replaceAll("<br ?/?>", "\n")
                .replaceAll("</p>\\s*", "\n\n").replace("<p>", "")
                .replaceAll("</?(strong)>", "**").replaceAll("</?(em)>", "*").replaceAll("</?code>", "`")
                .replaceAll("<li>", "- ").replaceAll("</li>\\s*", "\n");
        Matcher link = LINK.matcher(s);
        StringBuilder linked = new StringBuilder();
        while (link.find()) {
            link.appendReplacement(linked, Matcher.quoteReplacement("[" + link.group(2) + "](" + link.group(1) + ")"));
        }
        link.appendTail(linked);
        String text = linked.toString().replaceAll("<[^>]*>", "");
        return org.parley.web.HtmlEntities.unescape(text).replaceAll("\n{3,}", "\n\n").strip();
    }
}
