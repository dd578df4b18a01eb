package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Told by {@link ErrorFilter} of every exception that became a 500 "Something went wrong" page: a bug, not a
 * user's mistake. Implementations keep the last few for the console or send them to an error tracker; they must
 * never throw, since the user's error page is rendered after them.
 */
public interface UnexpectedErrors {
    void report(HttpServletRequest req, String requestId, Throwable error);
}
