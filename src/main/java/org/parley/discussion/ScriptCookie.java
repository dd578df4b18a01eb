package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Csrf;
import org.parley.account.Session;

import java.util.Enumeration;

/**
 * {@code parley_js=1}, set by static/thread.js on every Parley page it runs on: the browser runs our script, so a
 * signed-in viewer can be sent the shared page and be given their own bits by the overlay request
 * ({@link ViewerOverlay}). Without it a signed-in viewer gets their page rendered for them, which works with no
 * script at all. It only chooses between two correct pages; nothing is trusted because of it.
 */
public final class ScriptCookie {
    static final String NAME = "parley_js";

    private ScriptCookie() {
    }

    /**
     * Before a signed-in POST is checked: a form without any token from a browser that claims to run thread.js
     * came from a shared page the script did not complete — script switched off since, or the overlay failed.
     * The cookie is dropped, so the "reload the page" that the refusal asks for brings a page rendered for them.
     */
    public static void forgetIfTokenless(HttpServletRequest req, HttpServletResponse resp, Session session) {
        if (session.signedIn() && present(req) && req.getHeader(Csrf.HEADER) == null
                && req.getParameter(Csrf.FIELD) == null) {
            // thread.js writes it partitioned in a secure context, plain elsewhere: drop whichever this browser has
            resp.addHeader("Set-Cookie", NAME + "=; Path=/; Max-Age=0; Secure; SameSite=None; Partitioned");
            resp.addHeader("Set-Cookie", NAME + "=; Path=/; Max-Age=0; SameSite=Lax");
        }
    }

    public static boolean present(HttpServletRequest req) {
        Enumeration<String> headers = req.getHeaders("Cookie");
        while (headers != null && headers.hasMoreElements()) {
            for (String pair : headers.nextElement().split(";")) {
                if (pair.strip().equals(NAME + "=1")) {
                    return true;
                }
            }
        }
        return false;
    }
}
