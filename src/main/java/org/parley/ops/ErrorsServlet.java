package org.parley.ops;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.account.Account;
import org.parley.account.Viewers;
import org.parley.moderation.ConsoleAccess;
import org.parley.web.Templates;

import java.io.IOException;
import java.util.Map;

/** {@code GET /admin/errors}: this instance's recent unexpected errors, for administrators only. */
public final class ErrorsServlet extends HttpServlet {
    private final RecentErrors errors;
    private final boolean sentry;
    private final Viewers viewers;
    private final Templates templates;

    public ErrorsServlet(RecentErrors errors, boolean sentry, Viewers viewers, Templates templates) {
        this.errors = errors;
        this.sentry = sentry;
        this.viewers = viewers;
        this.templates = templates;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Account viewer = viewers.current(req);
        if (!ConsoleAccess.administrator(req, resp, viewer)) {
            return;
        }
        resp.setHeader("Cache-Control", "no-store");
        templates.render(req, resp, "admin/errors", Map.of("viewer", viewer, "errors", errors.list(),
                "sentry", sentry, "kept", RecentErrors.KEPT, "instance", req.getLocalName() + ":" + req.getLocalPort()));
    }
}
