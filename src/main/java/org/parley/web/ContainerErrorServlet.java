package org.parley.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Errors Jetty raises itself before or around our servlets (unsupported method, malformed request, a body over
 * the limit) come here through the error-page mapping, so they look like every other Parley error.
 */
public final class ContainerErrorServlet extends HttpServlet {
    private final ErrorPages pages;

    public ContainerErrorServlet(ErrorPages pages) {
        this.pages = pages;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // requested directly rather than dispatched for an error: there is nothing here
        int status = code instanceof Integer i ? i : 404;
        String message = switch (status) {
            case 404 -> "There is no page at this address.";
            case 405 -> "This address does not accept " + req.getMethod() + " requests.";
            case 413 -> "The request is too large.";
            default -> status >= 500 ? "Something went wrong (ref " + RequestLogFilter.requestId(req) + ")."
                    : "The request could not be understood.";
        };
        pages.render(req, resp, status, message, null);
    }
}
