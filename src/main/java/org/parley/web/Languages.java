package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The languages Parley's visitor pages, embed, mails and console are written in (i18n/messages_*.properties), and which one
 * a request gets: the first of its Accept-Language preferences that Parley has, else its site's default, else English. A page is rendered,
 * cached and marked ({@code lang}, {@code dir}) in that language, so "fr-CA" and "fr" share one French page.
 */
public final class Languages {
    /** English is the source; each other one has a bundle with every key (MessageBundlesTest). */
    public static final List<String> SUPPORTED = List.of("en", "fr", "de", "es", "ar");
    private static final Set<String> RIGHT_TO_LEFT = Set.of("ar", "he", "fa", "ur");
    /** Set by a page of one site: that site's default language, for a browser that asks for none Parley has. */
    private static final String SITE_DEFAULT = Languages.class.getName() + ".siteDefault";

    private Languages() {
    }

    /**
     * The language this request's page is written in: {@code ?lang=} when the page asks for one Parley has (the
     * embed's {@code data-lang}, a site that wants its threads in its own language whatever the reader's browser
     * says), else the browser's first preference Parley has, else the default language of the site the page
     * belongs to ({@link #siteDefault}), else English. Read from the query string only: a form's body is its
     * handler's to read.
     */
    public static Locale of(HttpServletRequest req) {
        Locale asked = asked(req.getQueryString());
        if (asked != null) {
            return asked;
        }
        if (req.getHeader("Accept-Language") != null) {
            for (Locale wanted : Collections.list(req.getLocales())) {
                if (SUPPORTED.contains(wanted.getLanguage())) {
                    return Locale.forLanguageTag(wanted.getLanguage());
                }
            }
        }
        return req.getAttribute(SITE_DEFAULT) instanceof Locale site ? site : Locale.ENGLISH;
    }

    /**
     * The page belongs to a site whose default language is {@code language} (null: English): a reader whose browser
     * asks for no language Parley has reads it in that one. Call before anything asks {@link #of} for this request.
     */
    public static void siteDefault(HttpServletRequest req, String language) {
        if (language != null && SUPPORTED.contains(language)) {
            req.setAttribute(SITE_DEFAULT, Locale.forLanguageTag(language));
        }
    }

    /** The language of {@code tag} ("fr-CA" → "fr") when Parley has it, else null. */
    public static String supported(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        String language = Locale.forLanguageTag(tag.strip()).getLanguage();
        return SUPPORTED.contains(language) ? language : null;
    }

    /** The supported language a query string names with {@code lang=}, or null. */
    static Locale asked(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("lang=")) {
                String language = supported(java.net.URLDecoder.decode(pair.substring(5),
                        java.nio.charset.StandardCharsets.UTF_8));
                return language == null ? null : Locale.forLanguageTag(language);
            }
        }
        return null;
    }

    /** Each supported language but English by its own name ("fr" → "Français"), for a choice of language. */
    public static java.util.Map<String, String> ownNames() {
        java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
        for (String code : SUPPORTED.subList(1, SUPPORTED.size())) {
            Locale language = Locale.forLanguageTag(code);
            String name = language.getDisplayLanguage(language);
            names.put(code, name.substring(0, 1).toUpperCase(language) + name.substring(1));
        }
        return names;
    }

    /** "rtl" for a right-to-left language, else "ltr": the page's {@code dir}. */
    public static String direction(Locale language) {
        return RIGHT_TO_LEFT.contains(language.getLanguage()) ? "rtl" : "ltr";
    }
}
