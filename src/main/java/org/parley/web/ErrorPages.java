package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Renders an error for a person (the styled error.html page) or for a program (RFC 9457 problem JSON under
 * /api/). The message is always one meant for the user; stack traces never leave the server. A refusal that says
 * when to come back (429) carries it in Retry-After as well, for programs and proxies.
 */
public final class ErrorPages {
    private final Templates templates;

    public ErrorPages(Templates templates) {
        this.templates = templates;
    }

    public void render(HttpServletRequest req, HttpServletResponse resp, HttpError error) throws IOException {
        int status = error.status();
        String message = error.getMessage();
        resp.resetBuffer();
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        error.announceRetryAfter(resp);
        String requestId = RequestLogFilter.requestId(req);
        if (wantsJson(req)) {
            resp.setContentType("application/problem+json; charset=utf-8");
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "about:blank");
            problem.put("title", reason(status));
            problem.put("status", status);
            problem.put("detail", message);
            if (error.field() != null) {
                problem.put("field", error.field());
            }
            problem.put("requestId", requestId);
            resp.getWriter().write(Json.object(problem));
            return;
        }
        // inside a host page's iframe: still framable there (even if the headers were reset on the way here),
        // laid out for the frame, with the way back to the discussion — and for a 401, the way to sign in
        Optional<EmbedFrame> frame = EmbedFrame.of(req);
        frame.ifPresent(f -> f.applyTo(resp));
        Map<String, Object> model = new LinkedHashMap<>();
        java.util.Locale language = Languages.of(req);
        model.put("status", status);
        model.put("title", title(status, language));
        model.put("message", error.message(language));
        model.put("embed", frame.isPresent());
        model.put("returnUrl", frame.map(EmbedFrame::returnUrl).orElse(null));
        model.put("theme", null);
        templates.render(req, resp, "error", model);
    }

    /** The sentence for an error the container raised rather than a handler (no route, a wrong method, …). */
    static HttpError containerError(int status, HttpServletRequest req) {
        return switch (status) {
            case 404 -> HttpError.worded(status, "error.noPage");
            case 405 -> HttpError.worded(status, "error.method", req.getMethod());
            case 413 -> HttpError.worded(status, "error.tooLarge");
            default -> status >= 500 ? HttpError.worded(status, "error.unexpected", RequestLogFilter.requestId(req))
                    : HttpError.worded(status, "error.badRequest");
        };
    }

    /** The API's paths, and scripts that ask for JSON (count.js, the embed's overlay) rather than a page. */
    static boolean wantsJson(HttpServletRequest req) {
        String path = req.getRequestURI();
        String accept = req.getHeader("Accept");
        return (path != null && path.startsWith("/api/"))
                || (accept != null && accept.contains("json") && !accept.contains("text/html"));
    }

    /** The error page's heading in the reader's language: {@link #reason} where there is no translation. */
    static String title(int status, java.util.Locale language) {
        String key = "error.title." + (status >= 500 && status != 503 ? 500 : status);
        String title = BundleMessageResolver.message(language, key);
        return title == null ? reason(status) : title;
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Please sign in";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 413 -> "Too large";
            case 414 -> "Address too long";
            case 415 -> "Unsupported media type";
            case 429 -> "Too many requests";
            case 431 -> "Headers too large";
            case 503 -> "Temporarily unavailable";
            default -> status >= 500 ? "Something went wrong" : "Error";
        };
    }
}
