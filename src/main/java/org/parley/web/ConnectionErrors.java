package org.parley.web;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.StringUtil;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server-wide error page, for what Jetty refuses before any servlet or filter runs: a malformed request line
 * or header (400), a URI too long (414), headers too large (431). Without it those answers carried none of the
 * security headers ({@link SecurityHeaders}: CSP, nosniff, referrer policy) and Jetty's own page with its wording.
 * Errors inside the application still go through {@link ErrorFilter} and {@link ContainerErrorServlet}.
 */
public final class ConnectionErrors extends ErrorHandler {
    private final SecurityHeaders security;

    public ConnectionErrors(SecurityHeaders security) {
        this.security = security;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        security.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        return super.handle(request, response, callback);
    }

    @Override
    protected void writeErrorHtml(Request request, Writer writer, Charset charset, int code, String message,
                                  Throwable cause) throws IOException {
        String title = ErrorPages.reason(code);
        writer.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"" + charset.name() + "\">\n<title>"
                + StringUtil.sanitizeXmlString(title) + " · Parley</title>\n</head>\n<body>\n<main>\n<h1>"
                + StringUtil.sanitizeXmlString(title) + "</h1>\n<p class=\"error-message\">"
                + StringUtil.sanitizeXmlString(sentence(code, message))
                + "</p>\n<p>Status " + code + "</p>\n</main>\n</body>\n</html>\n");
    }

    @Override
    protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write(code + " " + ErrorPages.reason(code) + ": " + sentence(code, message) + "\n");
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", ErrorPages.reason(code));
        problem.put("status", code);
        problem.put("detail", sentence(code, message));
        writer.write(Json.object(problem));
    }

    /** What was wrong, in Parley's words, with Jetty's detail for a malformed request ("Illegal character …"). */
    static String sentence(int code, String detail) {
        return switch (code) {
            case 414 -> "The address is too long.";
            case 431 -> "The request's headers are too large; clearing this site's cookies may help.";
            case 400 -> "The request could not be understood" + (detail == null || detail.isBlank()
                    || detail.equals("Bad Request") ? "." : ": " + detail + ".");
            default -> code >= 500 ? "Something went wrong." : "The request could not be understood.";
        };
    }
}
