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
    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});");

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
        return unescape(text).replaceAll("\n{3,}", "\n\n").strip();
    }

    private static String unescape(String text) {
        Matcher entity = NUMERIC_ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (entity.find()) {
            String code = entity.group(1);
            int point = code.startsWith("x") ? Integer.parseInt(code.substring(1), 16) : Integer.parseInt(code);
            entity.appendReplacement(out, Matcher.quoteReplacement(Character.isValidCodePoint(point)
                    ? new String(Character.toChars(point)) : ""));
        }
        entity.appendTail(out);
        return out.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }
}
