package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** What answers a request the {@link RouteTable} sent here; its path parameters are in {@link PathParams}. */
@FunctionalInterface
public interface Handler {
    void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException;
}
