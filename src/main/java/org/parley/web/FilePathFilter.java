package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * In front of the static-file servlets ({@code /static/*}, {@code /assets/*}): a file name is letters, digits, dots
 * and dashes, so anything else — above all a ".." that arrived as {@code ..%2F} (Parley lets an encoded "/" through
 * for thread keys) — is the same 404 page as any missing file. Jetty's servlet refuses such paths too, but with an
 * empty body; this gives the person a sentence.
 */
public final class FilePathFilter extends HttpFilter {
    private static final Pattern FILE = Pattern.compile("/[A-Za-z0-9_-][A-Za-z0-9._-]*");

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String file = req.getPathInfo();
        if (file == null || !FILE.matcher(file).matches() || file.contains("..")) {
            throw HttpError.notFound("There is no file at this address.");
        }
        chain.doFilter(req, resp);
    }
}
