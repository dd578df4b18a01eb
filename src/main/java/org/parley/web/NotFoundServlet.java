package org.parley.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Mapped to "/" (the servlet default): whatever no feature claims is a plain 404. */
public final class NotFoundServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
        throw HttpError.notFound("There is no page at this address.");
    }
}
