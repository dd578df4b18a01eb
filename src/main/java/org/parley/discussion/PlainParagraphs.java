package org.parley.discussion;

import java.util.regex.Pattern;

/**
 * The HTML of a comment written as plain sentences — most comments are — without the CommonMark parser and the
 * sanitiser, which cost a tenth of a guest's post in a profile (issue 18). It answers only for text that neither
 * could read as anything but paragraphs, and gives exactly what they would ({@code PlainParagraphsTest} compares
 * the two over every character it lets through); anything else is left to {@link Markdown}.
 *
 * <p>Plain means: lines that are empty (paragraph breaks) or start with a letter and do not end in a space, made
 * of letters and digits below U+FE60, spaces and {@value #PUNCTUATION} only, with no {@code ://} and no {@code www.} (the autolink
 * extension would link them). A line starting with a letter opens no block (list, quote, heading, code, HTML), and
 * none of these characters opens an inline (emphasis, code, link, entity, hard break).
 */
final class PlainParagraphs {
    static final String PUNCTUATION = " ,.;:?!'\"()-/%+=";
    /**
     * The sanitiser writes every character from here on as a numeric reference (fullwidth and halfwidth forms,
     * Arabic presentation forms, specials), letters among them: those take the long way.
     */
    private static final char SANITISER_ENCODES_FROM = '\uFE60';
    /** What the autolink extension would turn into a link (an email needs an @, which is not plain anyway). */
    private static final Pattern AUTOLINKED = Pattern.compile("://|(?i:www\\.)");

    private PlainParagraphs() {
    }

    /** The fragment for {@code clean} (already {@code DisplayText.cleanBody}'d, not blank), or null when not plain. */
    static String toHtml(String clean) {
        if (!plain(clean)) {
            return null;
        }
        var html = new StringBuilder(clean.length() + 32);
        boolean open = false;
        int start = 0;
        while (start <= clean.length()) {
            int end = clean.indexOf('\n', start);
            if (end < 0) {
                end = clean.length();
            }
            if (end == start) {
                if (open) {
                    html.append("</p>\n");
                    open = false;
                }
            } else {
                html.append(open ? "\n" : "<p>");
                open = true;
                encode(clean, start, end, html);
            }
            start = end + 1;
        }
        if (open) {
            html.append("</p>\n");
        }
        return html.toString();
    }

    static boolean plain(String text) {
        boolean lineStart = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                if (i > 0 && text.charAt(i - 1) == ' ') {
                    return false;
                }
                lineStart = true;
                continue;
            }
            if (c >= SANITISER_ENCODES_FROM
                    || (lineStart ? !Character.isLetter(c) : !Character.isLetterOrDigit(c) && PUNCTUATION.indexOf(c) < 0)) {
                return false; // surrogates are neither letter nor digit: text beyond the BMP takes the long way
            }
            lineStart = false;
        }
        return !text.endsWith(" ") && !AUTOLINKED.matcher(text).find();
    }

    /** As the sanitiser writes text: quotes, plus and equals as numeric references (it does so against injection). */
    private static void encode(String text, int from, int to, StringBuilder html) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> html.append("&#34;");
                case '\'' -> html.append("&#39;");
                case '+' -> html.append("&#43;");
                case '=' -> html.append("&#61;");
                default -> html.append(c);
            }
        }
    }
}
