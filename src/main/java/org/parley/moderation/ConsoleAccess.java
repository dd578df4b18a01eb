package org.parley.moderation;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.web.HttpError;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The door of every console page: guests are sent to sign in (GET) or refused (POST), accounts that moderate
 * nothing get a 403, and a site id sent by the browser is only ever accepted if it is one of the viewer's sites —
 * otherwise the same 404 as a site that does not exist, so forged ids learn nothing.
 */
public final class ConsoleAccess {
    private ConsoleAccess() {
    }

    /**
     * The door of the operator's pages (errors, query inspector): administrators only — a site's moderators get
     * the same 403 as anyone else signed in. Returns false when the guest was redirected to sign in.
     */
    public static boolean administrator(HttpServletRequest req, HttpServletResponse resp, Account viewer)
            throws IOException {
        if (viewer == null && "GET".equals(req.getMethod())) {
            resp.sendRedirect("/signin?return=" + URLEncoder.encode(req.getRequestURI(), StandardCharsets.UTF_8));
            return false;
        }
        if (viewer == null) {
            throw HttpError.worded(401, "console.error.signIn");
        }
        if (!viewer.admin()) {
            throw HttpError.worded(403, "console.error.adminsOnly");
        }
        return true;
    }

    /** The viewer's sites, or null when the guest was redirected to sign in. */
    static Set<Long> sites(Moderators moderators, HttpServletRequest req, HttpServletResponse resp, Account viewer)
            throws IOException {
        if (viewer == null && "GET".equals(req.getMethod())) {
            resp.sendRedirect("/signin?return=" + URLEncoder.encode(req.getRequestURI(), StandardCharsets.UTF_8));
            return null;
        }
        return moderators.requireAny(viewer);
    }

    /** The viewer's sites by id, in name order, for showing names. */
    static Map<Long, Site> named(SiteRepository sites, Set<Long> mine) {
        Map<Long, Site> byId = new LinkedHashMap<>();
        for (Site s : sites.all()) {
            if (mine.contains(s.id())) {
                byId.put(s.id(), s);
            }
        }
        return byId;
    }

    /** A site id from a form or URL that must be one of {@code mine}. */
    static long requireSite(Set<Long> mine, String text) {
        long id;
        try {
            id = Long.parseLong(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw HttpError.worded(404, "console.error.noSuchSite");
        }
        if (!mine.contains(id)) {
            throw HttpError.worded(404, "console.error.noSuchSite");
        }
        return id;
    }
}
