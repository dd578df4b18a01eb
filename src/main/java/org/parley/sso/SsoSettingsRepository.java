package org.parley.sso;

import org.jooq.DSLContext;

import java.time.Duration;

import static org.parley.db.main.Tables.SITE_SSO;

/** main.site_sso: one row per site that has single sign-on settings; no row is {@link SsoSettings#NONE}. */
public final class SsoSettingsRepository {
    private final DSLContext main;

    public SsoSettingsRepository(DSLContext main) {
        this.main = main;
    }

    public SsoSettings of(long siteId) {
        return main.selectFrom(SITE_SSO).where(SITE_SSO.SITE_ID.eq(siteId)).fetchOptional()
                .map(r -> new SsoSettings(r.getSecret(), r.getLoginUrl(), r.getLogoutUrl(),
                        Duration.ofSeconds(r.getMaxAgeSeconds())))
                .orElse(SsoSettings.NONE);
    }

    /**
     * Saves {@code settings}; a null secret in them keeps the stored one when {@code keepSecret} (a form that
     * left the secret field empty, since the secret is never shown back), else switches SSO off.
     */
    public void save(long siteId, SsoSettings settings, boolean keepSecret) {
        org.jooq.Field<String> secret = keepSecret && settings.secret() == null ? SITE_SSO.SECRET
                : org.jooq.impl.DSL.val(settings.secret());
        main.insertInto(SITE_SSO, SITE_SSO.SITE_ID, SITE_SSO.SECRET, SITE_SSO.LOGIN_URL, SITE_SSO.LOGOUT_URL,
                        SITE_SSO.MAX_AGE_SECONDS)
                .values(siteId, settings.secret(), settings.loginUrl(), settings.logoutUrl(),
                        (int) settings.maxAge().toSeconds())
                .onConflict(SITE_SSO.SITE_ID).doUpdate()
                .set(SITE_SSO.SECRET, secret)
                .set(SITE_SSO.LOGIN_URL, settings.loginUrl())
                .set(SITE_SSO.LOGOUT_URL, settings.logoutUrl())
                .set(SITE_SSO.MAX_AGE_SECONDS, (int) settings.maxAge().toSeconds())
                .execute();
    }
}
