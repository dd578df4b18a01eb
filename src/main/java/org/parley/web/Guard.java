package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Who may reach a group of routes. It runs before the handler and either lets the request through (returning true,
 * and may leave what it learnt on the request for the handler) or answers it itself — a redirect to sign in, or an
 * {@link HttpError} — so no handler in the group can forget the check.
 */
@FunctionalInterface
public interface Guard {
    /** Every visitor, signed in or not. */
    Guard EVERYONE = (req, resp) -> true;

    boolean admit(HttpServletRequest req, HttpServletResponse resp) throws IOException;
}
