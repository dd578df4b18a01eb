package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses, once for every route, a request whose query or form holds a NUL character (U+0000) in a field's name or
 * value: no browser form sends one, and PostgreSQL refuses it in any text ("invalid byte sequence for encoding UTF8:
 * 0x00"), which turned sign-in, sign-up, embed keys and console filters into 500s — some of them after part of the
 * work was done. The 400 names the field, so the form can show it and a program can fix its request.
 */
public final class ParameterFilter extends HttpFilter {
    private static final char NUL = '\0';
    /** A field name is echoed in the message only when it looks like one of ours. */
    private static final Pattern PRINTABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        // reads the form for POSTs; BodyLimitFilter (before this one) and Jetty's form limit have bounded it
        for (Map.Entry<String, String[]> field : req.getParameterMap().entrySet()) {
            String name = field.getKey();
            if (name.indexOf(NUL) >= 0) {
                throw HttpError.badRequest("A field name holds a NUL character, which no form sends; nothing was done.",
                        null);
            }
            for (String value : field.getValue()) {
                if (value != null && value.indexOf(NUL) >= 0) {
                    String shown = PRINTABLE_NAME.matcher(name).matches() ? "The field '" + name + "'" : "A field";
                    throw HttpError.badRequest(shown + " holds a NUL character (\\0), which no form sends; nothing "
                            + "was done.", name);
                }
            }
        }
        chain.doFilter(req, resp);
    }
}
