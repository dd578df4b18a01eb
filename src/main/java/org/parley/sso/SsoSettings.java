package org.parley.sso;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static org.parley.web.BundleMessageResolver.required;

/**
 * A site's single sign-on: the secret its host signs payloads with (none: SSO off), where the embed sends visitors
 * to sign in and out at the host, and how old a payload may be. {@link #parse} validates a form (the console's, or
 * {@code parley site --set}) whole, with a message per bad field; the limits mirror main.site_sso's CHECKs.
 */
public record SsoSettings(String secret, String loginUrl, String logoutUrl, Duration maxAge) {
    public static final SsoSettings NONE = new SsoSettings(null, null, null, SsoPayloads.DEFAULT_WINDOW);
    public static final int MIN_SECRET = 32;
    public static final int MAX_SECRET = 200;
    public static final int MIN_AGE_MINUTES = 1;
    public static final int MAX_AGE_MINUTES = 7 * 24 * 60;
    private static final int MAX_URL = 2000;

    public boolean enabled() {
        return secret != null;
    }

    /** The outcome of a form: settings when every field is good, otherwise a message per bad field. */
    public record Parsed(SsoSettings settings, Map<String, String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * Fields {@code ssoSecret} (blank: SSO off), {@code ssoLoginUrl}, {@code ssoLogoutUrl}, {@code ssoMaxAgeMinutes};
     * the messages in {@code locale}.
     */
    public static Parsed parse(Function<String, String> form, Locale locale) {
        Map<String, String> errors = new LinkedHashMap<>();
        String secret = blankToNull(form.apply("ssoSecret"));
        if (secret != null && (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET
                || !secret.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            errors.put("ssoSecret", required(locale, "console.site.error.ssoSecret", MIN_SECRET, MAX_SECRET));
        }
        String login = url(form, "ssoLoginUrl", errors, locale);
        String logout = url(form, "ssoLogoutUrl", errors, locale);
        String minutesText = blankToNull(form.apply("ssoMaxAgeMinutes"));
        int minutes = (int) SsoPayloads.DEFAULT_WINDOW.toMinutes();
        if (minutesText != null) {
            try {
                minutes = Integer.parseInt(minutesText);
            } catch (NumberFormatException e) {
                minutes = -1;
            }
            if (minutes < MIN_AGE_MINUTES || minutes > MAX_AGE_MINUTES) {
                // as strings: ICU would group their digits
                errors.put("ssoMaxAgeMinutes", required(locale, "console.site.error.ssoMaxAge",
                        Integer.toString(MIN_AGE_MINUTES), Integer.toString(MAX_AGE_MINUTES)));
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        return new Parsed(new SsoSettings(secret, login, logout, Duration.ofMinutes(minutes)), Map.of());
    }

    /** The form fields of these settings, for showing them in a form (the secret is never shown back). */
    public Map<String, String> form() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("ssoLoginUrl", loginUrl == null ? "" : loginUrl);
        fields.put("ssoLogoutUrl", logoutUrl == null ? "" : logoutUrl);
        fields.put("ssoMaxAgeMinutes", Long.toString(maxAge.toMinutes()));
        return fields;
    }

    private static String url(Function<String, String> form, String field, Map<String, String> errors,
                              Locale locale) {
        String text = blankToNull(form.apply(field));
        if (text == null) {
            return null;
        }
        boolean ok;
        try {
            URI uri = new URI(text);
            ok = ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null && text.length() <= MAX_URL;
        } catch (java.net.URISyntaxException e) {
            ok = false;
        }
        if (!ok) {
            errors.put(field, required(locale, "console.site.error.url", text));
        }
        return text;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
