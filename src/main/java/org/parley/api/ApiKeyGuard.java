package org.parley.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.site.SiteRepository;
import org.parley.web.Guard;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

/**
 * The door of the API: a request that presents a key ({@code Authorization}) is refused at once if the key is not
 * one of the addressed site's live keys (401 unknown or revoked, 403 another site's), whatever route it asks for,
 * so a revoked key fails the same way on a public read as on a write. Without a key, the request goes on and each
 * route applies its own rules (public data, a session, a guest). The key it recognised is left on the request
 * ({@link #keyOf}) for {@link ApiCallers}.
 */
public final class ApiKeyGuard implements Guard {
    private static final String KEY = ApiKey.class.getName();
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final SiteRepository sites;

    public ApiKeyGuard(ApiKeys keys, SiteRepository sites) {
        this.keys = keys;
        this.sites = sites;
    }

    @Override
    public boolean admit(HttpServletRequest req, HttpServletResponse resp) {
        String header = req.getHeader("Authorization");
        if (header == null) {
            return true;
        }
        resp.setHeader("WWW-Authenticate", "Bearer");
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized("Send the key as 'Authorization: Bearer prk_…'.");
        }
        ApiKey key = keys.recognise(header.substring(BEARER.length()).strip())
                .orElseThrow(() -> unauthorized("This API key is not valid: it was revoked, or mistyped."));
        String siteName = PathParams.of(req).values().get("site");
        if (siteName != null && sites.byName(siteName).filter(s -> s.id() != key.siteId()).isPresent()) {
            throw new HttpError(403, "This API key belongs to another site.", "Authorization");
        }
        req.setAttribute(KEY, key);
        return true;
    }

    private static HttpError unauthorized(String message) {
        return new HttpError(401, message, "Authorization");
    }

    /** The key this door let in with the request, if one was presented. */
    static java.util.Optional<ApiKey> keyOf(HttpServletRequest req) {
        return java.util.Optional.ofNullable((ApiKey) req.getAttribute(KEY));
    }
}
