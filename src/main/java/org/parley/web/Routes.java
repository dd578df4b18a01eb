package org.parley.web;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;

/**
 * A request's route: the pattern of the {@link RouteTable} route it matched ({@code /t/:site/:key},
 * {@code /signin}), or for files the servlet mapping ({@code /assets/*}), never the raw path — so metrics and the
 * query inspector group requests into a small, fixed set that visitors cannot grow. A path nothing claims is
 * {@code other}.
 */
public final class Routes {
    public static final String HOME = "/";
    public static final String OTHER = "other";

    private Routes() {
    }

    public static String of(HttpServletRequest req) {
        RouteTable.Resolution resolution = RouteFilter.resolutionOf(req);
        if (resolution != null && resolution.route() != null) {
            return resolution.route().pattern();
        }
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
