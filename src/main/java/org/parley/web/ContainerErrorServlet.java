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
    private final SecurityHeaders security;

    public ContainerErrorServlet(ErrorPages pages, SecurityHeaders security) {
        this.pages = pages;
        this.security = security;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // requested directly rather than dispatched for an error: there is nothing here
        int status = code instanceof Integer i ? i : 404;
        // an error Jetty raised before the filters ran has none of the headers; one after them keeps its own (the
        // embed's frame policy)
        security.headers().forEach((name, value) -> {
            if (resp.getHeader(name) == null) {
                resp.setHeader(name, value);
            }
        });
        pages.render(req, resp, ErrorPages.containerError(status, req));
    }
}
