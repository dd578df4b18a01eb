package org.parley.ops;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.moderation.Console;

import java.io.IOException;
import java.util.Map;

/** {@code GET /admin/errors}: this instance's recent unexpected errors, for administrators only. */
public final class ErrorsPage {
    private final RecentErrors errors;
    private final boolean sentry;
    private final Console console;

    public ErrorsPage(RecentErrors errors, boolean sentry, Console console) {
        this.errors = errors;
        this.sentry = sentry;
        this.console = console;
    }

    public void show(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        console.render(req, resp, "admin/errors", Map.of("viewer", Console.administrator(req),
                "errors", errors.list(), "sentry", sentry, "kept", RecentErrors.KEPT,
                "instance", req.getLocalName() + ":" + req.getLocalPort()));
    }
}
