package org.parley.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entities Parley's sanitised HTML contains, back to characters: the five named ones and numeric ones (the
 * sanitiser writes {@code @}, {@code +}, {@code =} and others as {@code &#64;} and so on). For making text out of
 * that HTML (an editable source, an excerpt), never for making HTML.
 */
public final class HtmlEntities {
    private static final Pattern NUMERIC = Pattern.compile("&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});");

    private HtmlEntities() {
    }

    public static String unescape(String text) {
        Matcher entity = NUMERIC.matcher(text);
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
