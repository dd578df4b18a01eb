package org.parley.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.web.ReturnTarget;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * How every account form page is shown (sign up, sign in, forgot, reset, verified): with the page to go back to
 * ({@code return}, one of Parley's own), inside the embed's frame when it came from there, a CSRF token for the
 * visitor, never stored, and no Referer to other sites (some of these addresses carry a token; "same-origin", not
 * "no-referrer", which would make the browser send {@code Origin: null} with the form, refused by the
 * same-origin check).
 */
final class AccountForms {
    static final String HOME = "/";

    private final Csrf csrf;
    private final Templates templates;

    AccountForms(Csrf csrf, Templates templates) {
        this.csrf = csrf;
        this.templates = templates;
    }

    void render(HttpServletRequest req, HttpServletResponse resp, String template, Map<String, Object> extra,
                int status) throws IOException {
        String back = ReturnTarget.require(req.getParameter(ReturnTarget.FIELD), HOME);
        Map<String, Object> model = new HashMap<>(extra);
        model.put("returnUrl", back);
        // opened from inside a host page's iframe (discussion.EmbedFraming lets the site's origins frame it)
        model.put("embed", back.startsWith("/embed/"));
        model.put("csrf", csrf.token(SessionFilter.of(req)));
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Referrer-Policy", "same-origin");
        templates.render(req, resp, template, model);
    }
}
