package org.parley.site;

import org.parley.web.Languages;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import static org.parley.web.BundleMessageResolver.required;

/**
 * Everything about a site that its moderators edit in the console: the commenting settings, the two posting-rule
 * settings and the origins allowed to embed it. {@link #parse} validates a whole form at once — each bad field
 * gets its own message, so the form can show every problem beside its field and save nothing until all are
 * fixed. The limits mirror the table's CHECK constraints, so a form that passes here cannot fail there.
 */
public record SiteSettings(String displayName, boolean guestsAllowed, boolean premoderation, Duration editWindow,
                           int maxCommentLength, boolean closed, boolean firstCommentPending, Integer maxLinks,
                           List<String> origins, boolean gravatar, String language) {
    public static final int MAX_DISPLAY_NAME = 200;
    /** A week: longer and "edit window" stops meaning anything. */
    public static final int MAX_EDIT_WINDOW_MINUTES = 7 * 24 * 60;
    public static final int MAX_COMMENT_LENGTH = 100_000;
    public static final int MAX_LINKS = 1000;
    public static final int MAX_ORIGINS = 50;

    public SiteSettings {
        origins = List.copyOf(origins);
    }

    /** The outcome of a form: settings when every field is good, otherwise a message per bad field. */
    public record Parsed(SiteSettings settings, Map<String, String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * Reads the console form: {@code displayName}, {@code editWindowMinutes}, {@code maxCommentLength},
     * {@code maxLinks} (blank = no limit), {@code origins} (one per line) and the checkboxes
     * {@code guestsAllowed}, {@code premoderation}, {@code closed}, {@code firstCommentPending}, {@code gravatar},
     * and {@code language} (blank: English for readers whose browsers ask for no language Parley has). The messages
     * are in {@code locale}: the moderator's language in the console, English for {@code parley site --set}.
     */
    public static Parsed parse(Function<String, String> form, Locale locale) {
        Map<String, String> errors = new LinkedHashMap<>();
        String displayName = text(form, "displayName");
        if (displayName.isEmpty() || displayName.length() > MAX_DISPLAY_NAME) {
            errors.put("displayName", required(locale, "console.site.error.displayName", MAX_DISPLAY_NAME));
        }
        // limits as strings: ICU would group their digits ("10,080")
        Integer minutes = number(form, "editWindowMinutes", 0, MAX_EDIT_WINDOW_MINUTES, false, errors,
                required(locale, "console.site.error.editWindow", Integer.toString(MAX_EDIT_WINDOW_MINUTES)));
        Integer length = number(form, "maxCommentLength", 1, MAX_COMMENT_LENGTH, false, errors,
                required(locale, "console.site.error.maxCommentLength", Integer.toString(MAX_COMMENT_LENGTH)));
        Integer links = number(form, "maxLinks", 0, MAX_LINKS, true, errors,
                required(locale, "console.site.error.maxLinks", Integer.toString(MAX_LINKS)));
        List<String> origins = origins(text(form, "origins"), errors, locale);
        String language = text(form, "language");
        if (!language.isEmpty() && !Languages.SUPPORTED.contains(language)) {
            errors.put("language", required(locale, "console.site.error.language",
                    String.join(", ", Languages.SUPPORTED)));
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        return new Parsed(new SiteSettings(displayName, checked(form, "guestsAllowed"), checked(form, "premoderation"),
                Duration.ofMinutes(minutes), length, checked(form, "closed"), checked(form, "firstCommentPending"),
                links, origins, checked(form, "gravatar"), language.isEmpty() ? null : language), Map.of());
    }

    /**
     * The origins, one per line, as browsers send them in {@code Origin}: scheme, host and a port only if it is
     * not the scheme's default. Anything else on a line (a path, a query) is refused rather than cut off, so the
     * moderator sees what the browser will compare. Messages are in {@code locale}.
     */
    public static List<String> origins(String text, Map<String, String> errors, Locale locale) {
        LinkedHashSet<String> found = new LinkedHashSet<>();
        List<String> bad = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String raw = line.strip();
            if (raw.isEmpty()) {
                continue;
            }
            String origin = origin(raw);
            if (origin == null) {
                bad.add(raw);
            } else {
                found.add(origin);
            }
        }
        if (!bad.isEmpty()) {
            errors.put("origins", required(locale, "console.site.error.origins", String.join(", ", bad)));
        } else if (found.size() > MAX_ORIGINS) {
            errors.put("origins", required(locale, "console.site.error.tooManyOrigins", MAX_ORIGINS));
        }
        return List.copyOf(found);
    }

    /**
     * {@code raw} as a site's origin is stored and as browsers compare it ({@code https://host[:port]}, lower case,
     * no default port), or null when it is not a plain http(s) origin.
     */
    public static String origin(String raw) {
        URI uri;
        try {
            uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean plain = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                && uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null && uri.getRawFragment() == null;
        if (!plain) {
            return null;
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** The settings that differ, as "name: before → after" lines — what the audit log records. */
    public Map<String, String[]> changesFrom(SiteSettings before) {
        Map<String, String[]> changed = new LinkedHashMap<>();
        diff(changed, "name", before.displayName, displayName);
        diff(changed, "guests allowed", before.guestsAllowed, guestsAllowed);
        diff(changed, "pre-moderation", before.premoderation, premoderation);
        diff(changed, "edit window (minutes)", before.editWindow.toMinutes(), editWindow.toMinutes());
        diff(changed, "longest comment", before.maxCommentLength, maxCommentLength);
        diff(changed, "closed", before.closed, closed);
        diff(changed, "first comment pending", before.firstCommentPending, firstCommentPending);
        diff(changed, "link limit", before.maxLinks == null ? "none" : before.maxLinks, maxLinks == null ? "none" : maxLinks);
        diff(changed, "origins", String.join(" ", before.origins), String.join(" ", origins));
        diff(changed, "Gravatar pictures", before.gravatar, gravatar);
        diff(changed, "default language", before.language == null ? "English" : before.language,
                language == null ? "English" : language);
        return changed;
    }

    private static void diff(Map<String, String[]> changed, String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changed.put(name, new String[]{String.valueOf(before), String.valueOf(after)});
        }
    }

    private static String text(Function<String, String> form, String name) {
        String v = form.apply(name);
        return v == null ? "" : v.strip();
    }

    private static boolean checked(Function<String, String> form, String name) {
        return form.apply(name) != null;
    }

    private static Integer number(Function<String, String> form, String name, int min, int max, boolean blankIsNull,
                                  Map<String, String> errors, String message) {
        String raw = text(form, name);
        if (raw.isEmpty() && blankIsNull) {
            return null;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // not a number: the same message as a number out of range, beside the field
        }
        errors.put(name, message);
        return null;
    }
}
