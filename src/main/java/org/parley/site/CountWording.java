package org.parley.site;

import java.util.Locale;
import java.util.Map;

import static org.parley.web.BundleMessageResolver.required;

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

    /**
     * Checks the three forms (blank: the language's), adding a message per bad one to {@code errors}, in
     * {@code locale}.
     */
    public static CountWording parse(String zero, String one, String many, Map<String, String> errors,
                                     Locale locale) {
        String z = blankToNull(zero);
        String o = blankToNull(one);
        String m = blankToNull(many);
        check("countZero", z, errors, locale);
        check("countOne", o, errors, locale);
        check("countMany", m, errors, locale);
        if (m != null && m.length() <= MAX && !m.contains(NUMBER)) {
            // {num} as an argument: a brace in the message itself would be ICU's
            errors.put("countMany", required(locale, "console.site.error.countNumber", NUMBER));
        }
        return new CountWording(z, o, m);
    }

    private static void check(String field, String text, Map<String, String> errors, Locale locale) {
        if (text != null && text.length() > MAX) {
            errors.put(field, required(locale, "console.site.error.countLength", MAX));
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
