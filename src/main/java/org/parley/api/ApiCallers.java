package org.parley.api;

import jakarta.servlet.http.HttpServletRequest;
import org.parley.account.Account;
import org.parley.account.Csrf;
import org.parley.account.SessionFilter;
import org.parley.account.Viewers;
import org.parley.site.Site;
import org.parley.web.HttpError;

import java.util.Collection;
import java.util.Optional;

/**
 * Tells who an API request comes from, and refuses what must not pass:
 * <ul>
 *     <li>{@code Authorization: Bearer prk_…}: one of the site's live keys, as {@link ApiKeyGuard} found it. A key
 *     request carries no cookie and needs no CSRF token: nothing in it is ambient.</li>
 *     <li>a signed-in session: a write must carry the session's token in {@code X-CSRF-Token}, as a form does.</li>
 *     <li>a guest: a write from a browser must come from Parley's own origin or one of the site's allowed origins
 *     (a program that sends no {@code Origin} is not a browser acting for someone else).</li>
 * </ul>
 */
public final class ApiCallers {

    private final Viewers viewers;
    private final Csrf csrf;

    public ApiCallers(Viewers viewers, Csrf csrf) {
        this.viewers = viewers;
        this.csrf = csrf;
    }

    /** The caller of a read: a key if one is presented (it must be valid), else whoever the session says. */
    public ApiCaller reading(HttpServletRequest req, Site site) {
        Optional<ApiKey> key = key(req);
        return key.map(k -> new ApiCaller(k, null)).orElseGet(() -> new ApiCaller(null, viewers.on(req, site.id())));
    }

    /** The caller of a write, with the CSRF and origin rules above; {@code origins} are the site's allowed ones. */
    public ApiCaller writing(HttpServletRequest req, Site site, Collection<String> origins) {
        Optional<ApiKey> key = key(req);
        if (key.isPresent()) {
            return new ApiCaller(key.get(), null);
        }
        Account account = viewers.on(req, site.id());
        if (account != null) {
            csrf.check(req, SessionFilter.of(req));
            return new ApiCaller(null, account);
        }
        String origin = req.getHeader("Origin");
        if (origin != null && origins.stream().noneMatch(o -> o.equalsIgnoreCase(origin.strip()))) {
            // Parley's own pages, or a program naming an origin it is not at: the usual same-origin rule decides
            csrf.checkSameOrigin(req);
        }
        return ApiCaller.GUEST;
    }

    /** The key {@link ApiKeyGuard} recognised for this request; the guard has checked it belongs to this site. */
    private static Optional<ApiKey> key(HttpServletRequest req) {
        return ApiKeyGuard.keyOf(req);
    }

    /** 403 unless the caller's key has {@code scope} (a person or guest is not asked: their own rules apply). */
    public static void requireScope(ApiCaller caller, ApiKey.Scope scope) {
        if (caller.key() != null && !caller.key().allows(scope)) {
            throw new HttpError(403, "This API key does not have the '" + scope.wireName() + "' scope.",
                    "Authorization");
        }
    }
}
