package org.parley.moderation;

import org.parley.site.CountWording;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.site.SiteSettings;
import org.parley.sso.SsoSettings;
import org.parley.sso.SsoSettingsRepository;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A site's settings as one form, for the console's settings page and {@code parley site NAME --set}: the commenting
 * settings and origins ({@link SiteSettings}) and single sign-on ({@link SsoSettings}), validated together, so a
 * form with any bad field saves nothing. The SSO secret is never shown back: left blank it stays as it is, and
 * {@value #SSO_OFF} removes it.
 */
public final class SiteForm {
    public static final String SSO_OFF = "ssoOff";
    /** Every field, for showing a sent form again beside its errors. */
    static final List<String> TEXT_FIELDS = List.of("displayName", "editWindowMinutes", "maxCommentLength", "maxLinks",
            "origins", "language", "ssoLoginUrl", "ssoLogoutUrl", "ssoMaxAgeMinutes", "countZero", "countOne", "countMany");
    static final List<String> CHECKBOXES = List.of("guestsAllowed", "premoderation", "closed", "firstCommentPending",
            "gravatar", SSO_OFF);

    /** A whole good form, or the message of each bad field. */
    public record Parsed(SiteSettings site, SsoSettings sso, boolean keepSecret, CountWording wording,
                         Map<String, String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private SiteForm() {
    }

    /** The fields showing {@code s} and {@code sso}; a checkbox is "on" or "". */
    public static Map<String, String> of(SiteSettings s, SsoSettings sso, CountWording wording) {
        Map<String, String> form = new HashMap<>(sso.form());
        form.put("countZero", wording.zero() == null ? "" : wording.zero());
        form.put("countOne", wording.one() == null ? "" : wording.one());
        form.put("countMany", wording.many() == null ? "" : wording.many());
        form.put("displayName", s.displayName());
        form.put("editWindowMinutes", Long.toString(s.editWindow().toMinutes()));
        form.put("maxCommentLength", Integer.toString(s.maxCommentLength()));
        form.put("maxLinks", s.maxLinks() == null ? "" : s.maxLinks().toString());
        form.put("origins", String.join("\n", s.origins()));
        form.put("guestsAllowed", checked(s.guestsAllowed()));
        form.put("premoderation", checked(s.premoderation()));
        form.put("closed", checked(s.closed()));
        form.put("firstCommentPending", checked(s.firstCommentPending()));
        form.put("gravatar", checked(s.gravatar()));
        form.put("language", s.language() == null ? "" : s.language());
        form.put(SSO_OFF, "");
        form.put("ssoSecretSet", sso.enabled() ? "on" : "");
        return form;
    }

    /**
     * Reads a form in which an absent checkbox is unchecked (as browsers send them); the errors in {@code locale}
     * (the moderator's language, English for the command line, which has no browser to ask).
     */
    public static Parsed parse(Function<String, String> form, Locale locale) {
        SiteSettings.Parsed site = SiteSettings.parse(form, locale);
        SsoSettings.Parsed sso = SsoSettings.parse(form, locale);
        Map<String, String> errors = new LinkedHashMap<>(site.errors());
        errors.putAll(sso.errors());
        CountWording wording = CountWording.parse(form.apply("countZero"), form.apply("countOne"),
                form.apply("countMany"), errors, locale);
        if (!errors.isEmpty()) {
            return new Parsed(null, null, false, null, errors);
        }
        boolean off = form.apply(SSO_OFF) != null;
        SsoSettings s = off ? new SsoSettings(null, sso.settings().loginUrl(), sso.settings().logoutUrl(),
                sso.settings().maxAge()) : sso.settings();
        return new Parsed(site.settings(), s, !off && s.secret() == null, wording, Map.of());
    }

    /** Saves a good form; returns the audit lines of what changed ("name: before → after"), the secret unnamed. */
    public static Map<String, String[]> save(SiteRepository sites, SsoSettingsRepository ssoSettings, Site site,
                                             Parsed parsed) {
        SiteSettings before = sites.settings(site.id()).orElseThrow();
        SsoSettings ssoBefore = ssoSettings.of(site.id());
        Map<String, String[]> changes = new LinkedHashMap<>(parsed.site().changesFrom(before));
        if (!changes.isEmpty()) {
            sites.update(site, parsed.site());
        }
        SsoSettings after = parsed.keepSecret()
                ? new SsoSettings(ssoBefore.secret(), parsed.sso().loginUrl(), parsed.sso().logoutUrl(), parsed.sso().maxAge())
                : parsed.sso();
        changes.putAll(ssoChanges(ssoBefore, after));
        CountWording wordingBefore = sites.countWording(site.id());
        if (!wordingBefore.equals(parsed.wording())) {
            CountWording wording = parsed.wording();
            diff(changes, "count wording, none", orLanguage(wordingBefore.zero()), orLanguage(wording.zero()));
            diff(changes, "count wording, one", orLanguage(wordingBefore.one()), orLanguage(wording.one()));
            diff(changes, "count wording, many", orLanguage(wordingBefore.many()), orLanguage(wording.many()));
            sites.updateCountWording(site, wording);
        }
        if (!ssoChanges(ssoBefore, after).isEmpty()) {
            ssoSettings.save(site.id(), after, false);
        }
        return changes;
    }

    private static Map<String, String[]> ssoChanges(SsoSettings before, SsoSettings after) {
        Map<String, String[]> changed = new LinkedHashMap<>();
        if (!java.util.Objects.equals(before.secret(), after.secret())) {
            changed.put("SSO secret", new String[] {before.enabled() ? "set" : "none",
                    after.enabled() ? (before.enabled() ? "replaced" : "set") : "none"});
        }
        diff(changed, "SSO sign-in address", before.loginUrl(), after.loginUrl());
        diff(changed, "SSO sign-out address", before.logoutUrl(), after.logoutUrl());
        diff(changed, "SSO payload age (minutes)", before.maxAge().toMinutes(), after.maxAge().toMinutes());
        return changed;
    }

    private static void diff(Map<String, String[]> changed, String name, Object before, Object after) {
        if (!java.util.Objects.equals(before, after)) {
            changed.put(name, new String[] {String.valueOf(before), String.valueOf(after)});
        }
    }

    private static String orLanguage(String wording) {
        return wording == null ? "the language's" : "\"" + wording + "\"";
    }

    private static String checked(boolean on) {
        return on ? "on" : "";
    }
}
