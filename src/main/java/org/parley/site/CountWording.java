package org.parley.site;

import java.util.Locale;
import java.util.Map;

/**
 * How a comment count reads on a site's article lists ({@code count.js}): for none, one and many comments, the
 * last with {@code {num}} for the number. A site may set its own; otherwise the reader's language picks one of
 * the wordings Parley ships (English when the language is not among them). The browser chooses the form with the
 * language's plural rules, so "many" covers every form that is not one.
 */
public record CountWording(String zero, String one, String many) {
    public static final String NUMBER = "{num}";
    public static final int MAX = 100;
    private static final Map<String, CountWording> SHIPPED = Map.of(
            "en", new CountWording("No comments", "1 comment", "{num} comments"),
            "de", new CountWording("Keine Kommentare", "1 Kommentar", "{num} Kommentare"),
            "fr", new CountWording("Aucun commentaire", "1 commentaire", "{num} commentaires"),
            "es", new CountWording("Sin comentarios", "1 comentario", "{num} comentarios"),
            "it", new CountWording("Nessun commento", "1 commento", "{num} commenti"),
            "nl", new CountWording("Geen reacties", "1 reactie", "{num} reacties"),
            "pt", new CountWording("Sem comentários", "1 comentário", "{num} comentários"));

    /** The wording Parley ships for {@code languageTag} ("de", "de-AT", "pt_BR"…), English when it has none. */
    public static CountWording shipped(String languageTag) {
        String language = languageTag == null ? "en"
                : languageTag.strip().split("[-_]")[0].toLowerCase(Locale.ROOT);
        return SHIPPED.getOrDefault(language, SHIPPED.get("en"));
    }

    /** This site's wording where it set one, the language's for the rest. */
    public CountWording over(CountWording language) {
        return new CountWording(zero != null ? zero : language.zero, one != null ? one : language.one,
                many != null ? many : language.many);
    }

    /** Checks the three forms (blank: the language's), adding a message per bad one to {@code errors}. */
    public static CountWording parse(String zero, String one, String many, Map<String, String> errors) {
        String z = blankToNull(zero);
        String o = blankToNull(one);
        String m = blankToNull(many);
        check("countZero", z, errors);
        check("countOne", o, errors);
        check("countMany", m, errors);
        if (m != null && m.length() <= MAX && !m.contains(NUMBER)) {
            errors.put("countMany", "The wording for many comments needs " + NUMBER + " where the number goes, "
                    + "like \"{num} comments\".");
        }
        return new CountWording(z, o, m);
    }

    private static void check(String field, String text, Map<String, String> errors) {
        if (text != null && text.length() > MAX) {
            errors.put(field, "At most " + MAX + " characters.");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
