package org.parley.thread;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Enumeration;

/**
 * {@code parley_js=1}, set by static/thread.js on every Parley page it runs on: the browser runs our script, so a
 * signed-in viewer can be sent the shared page and be given their own bits by the overlay request
 * ({@link ViewerOverlay}). Without it a signed-in viewer gets their page rendered for them, which works with no
 * script at all. It only chooses between two correct pages; nothing is trusted because of it.
 */
final class ScriptCookie {
    static final String NAME = "parley_js";

    private ScriptCookie() {
    }

    static boolean present(HttpServletRequest req) {
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
