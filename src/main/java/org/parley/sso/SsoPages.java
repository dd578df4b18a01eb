package org.parley.sso;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.account.Csrf;
import org.parley.account.Sessions;
import org.parley.account.Viewers;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;
import org.parley.web.Json;
import org.parley.web.PathParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /embed/{site}/sso} with {@code payload}: the embed frame hands over what the host page gave it
 * ({@code data-sso}, or {@code remote_auth_s3} through the Disqus shim; in the frame's URL fragment, so it never
 * reaches a log or a cache). A good payload signs the visitor in as the site's account for that user; {@code W10=}
 * or a refused payload ends such a session, and the visitor reads and writes as a guest. Why a payload was refused
 * is logged for the site's operator, never told to the visitor. The answer tells the frame whether the session
 * changed (it reloads to show the signed-in form) and the host's sign-in and sign-out addresses.
 *
 * <p>Only from Parley's own pages (the frame's script): the same-origin rule of guests' forms, as a payload posted
 * from elsewhere must not sign a browser in.
 */
public final class SsoPages {
    private static final Logger LOG = LoggerFactory.getLogger(SsoPages.class);

    private final SiteRepository sites;
    private final SsoSettingsRepository settings;
    private final AccountRepository accounts;
    private final Sessions sessions;
    private final Viewers viewers;
    private final Csrf csrf;
    private final SsoPayloads payloads;

    public SsoPages(SiteRepository sites, SsoSettingsRepository settings, AccountRepository accounts, Sessions sessions,
                    Viewers viewers, Csrf csrf, SsoPayloads payloads) {
        this.sites = sites;
        this.settings = settings;
        this.accounts = accounts;
        this.sessions = sessions;
        this.viewers = viewers;
        this.csrf = csrf;
        this.payloads = payloads;
    }

    /** POST /embed/:site/sso */
    public void signIn(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        csrf.checkSameOrigin(req);
        Site site = sites.byName(PathParams.of(req).text("site"))
                .orElseThrow(() -> HttpError.notFound("No such site."));
        SsoSettings sso = settings.of(site.id());
        Account current = viewers.current(req);
        boolean ssoSession = current != null && current.ssoSiteId() != null && current.ssoSiteId() == site.id();
        boolean changed = false;
        Account now = current;
        if (!sso.enabled()) {
            LOG.info("single sign-on payload for site {} ignored: the site has no SSO secret", site.name());
        } else {
            switch (payloads.check(req.getParameter("payload"), sso.secret(), sso.maxAge())) {
                case SsoOutcome.SignedIn in -> {
                    SsoUser u = in.user();
                    now = accounts.signedInBySso(site.id(), u.id(), u.username(), u.email(), u.avatar(), u.url());
                    if (current == null || current.id() != now.id()) {
                        sessions.signIn(req, resp, now);
                        changed = true;
                    } else {
                        changed = !now.displayName().equals(current.displayName());
                    }
                }
                case SsoOutcome.SignedOut out -> {
                    if (ssoSession) {
                        sessions.signOut(req, resp);
                        changed = true;
                        now = null;
                    }
                }
                case SsoOutcome.Refused refused -> {
                    LOG.warn("single sign-on payload for site {} refused: {}", site.name(), refused.reason());
                    if (ssoSession) {
                        sessions.signOut(req, resp);
                        changed = true;
                        now = null;
                    }
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("signedIn", now != null && now.actsOn(site.id()));
        body.put("name", now == null ? null : now.displayName());
        body.put("changed", changed);
        body.put("loginUrl", sso.loginUrl());
        body.put("logoutUrl", sso.logoutUrl());
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json; charset=utf-8");
        resp.getWriter().write(Json.object(body));
    }
}
