package org.parley.thread;

import java.util.regex.Pattern;

/**
 * The hidden CSRF input of the forms inside a thread's comment list, written as raw HTML so that a guest's cached
 * list can hold a placeholder instead of one visitor's token, and each visitor's token can be put in when the list
 * is served, with a plain string replace.
 *
 * <p>Why the replace can only ever touch the placeholder: {@link #PLACEHOLDER} starts with {@code <%}. In the
 * rendered list a raw {@code <} comes from exactly two places — our templates (none contains {@code <%}) and
 * comment bodies, which are sanitised by the OWASP HTML sanitizer (comment.Markdown) and so contain {@code <}
 * only to open or close an element, followed by a letter or {@code /}. Every other text (author names, links,
 * messages) is escaped by Thymeleaf, which writes {@code <} as {@code &lt;}. So no user content can put
 * {@code <%} into the list, and the placeholder is only where {@link #field} put it. It must be raw for that
 * reason: rendered through {@code th:value} it would be escaped, and escaped text is exactly what a user can
 * produce. The token put in its place is base64url ({@code web.Csrf}), which needs no escaping inside an
 * attribute; {@link #fill} checks that rather than trusting it.
 */
final class CsrfField {
    static final String PLACEHOLDER = "<%parley-csrf%>";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

    private CsrfField() {
    }

    /** The hidden input carrying value: a real token, or {@link #PLACEHOLDER} for a list that will be cached. */
    static String field(String value) {
        if (!PLACEHOLDER.equals(value)) {
            checkToken(value);
        }
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + value + "\">";
    }

    /** The cached list with this visitor's token in place of every placeholder. */
    static String fill(String html, String token) {
        checkToken(token);
        return html.replace(PLACEHOLDER, token);
    }

    private static void checkToken(String token) {
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("a CSRF token is base64url, got " + token.length() + " other characters");
        }
    }
}
