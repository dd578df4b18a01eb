package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders an error for a person (the styled error.html page) or for a program (RFC 9457 problem JSON under
 * /api/). The message is always one meant for the user; stack traces never leave the server.
 */
public final class ErrorPages {
    private final Templates templates;

    public ErrorPages(Templates templates) {
        this.templates = templates;
    }

    public void render(HttpServletRequest req, HttpServletResponse resp, int status, String message, String field)
            throws IOException {
        resp.resetBuffer();
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        String requestId = RequestLogFilter.requestId(req);
        if (wantsJson(req)) {
            resp.setContentType("application/problem+json; charset=utf-8");
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "about:blank");
            problem.put("title", reason(status));
            problem.put("status", status);
            problem.put("detail", message);
            if (field != null) {
                problem.put("field", field);
            }
            problem.put("requestId", requestId);
            resp.getWriter().write(Json.object(problem));
            return;
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("status", status);
        model.put("title", reason(status));
        model.put("message", message);
        templates.render(req, resp, "error", model);
    }

    static boolean wantsJson(HttpServletRequest req) {
        String path = req.getRequestURI();
        return path != null && path.startsWith("/api/");
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
            case 415 -> "Unsupported media type";
            case 429 -> "Too many requests";
            case 503 -> "Temporarily unavailable";
            default -> status >= 500 ? "Something went wrong" : "Error";
        };
    }
}
