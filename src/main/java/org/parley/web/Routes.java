package org.parley.web;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;

/**
 * A request's route: the servlet mapping it matched ({@code /t/*}, {@code /signin}, {@code /admin/*}), never the
 * raw path — so metrics and the query inspector group requests into a small, fixed set that visitors cannot
 * grow. The front page is {@code /}; a path no servlet claims is {@code other}.
 */
public final class Routes {
    public static final String HOME = "/";
    public static final String OTHER = "other";

    private Routes() {
    }

    public static String of(HttpServletRequest req) {
        HttpServletMapping mapping = req.getHttpServletMapping();
        if (mapping == null || mapping.getMappingMatch() == null) {
            return OTHER;
        }
        MappingMatch match = mapping.getMappingMatch();
        return switch (match) {
            case CONTEXT_ROOT -> HOME;
            case DEFAULT -> OTHER;
            default -> mapping.getPattern();
        };
    }
}
