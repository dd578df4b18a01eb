package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The named segments of the route a request matched ({@code /c/:id/:verb}), percent-decoded one by one, so a value
 * may itself hold an encoded "/" (a thread key such as {@code 2024%2F11%2Fpost}).
 */
public record PathParams(Map<String, String> values) {
    static final PathParams NONE = new PathParams(Map.of());

    public PathParams {
        values = Map.copyOf(values);
    }

    /** The parameters of the request's route; none for a request no route claimed. */
    public static PathParams of(HttpServletRequest req) {
        RouteTable.Resolution resolution = RouteFilter.resolutionOf(req);
        return resolution == null ? NONE : resolution.params();
    }

    /** A parameter the route declares; asking for one it does not declare is a programming error. */
    public String text(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no parameter :" + name + " (it has " + values.keySet() + ")");
        }
        return value;
    }

    /**
     * A numeric parameter; anything else names nothing that exists, so it throws {@code missing}: the handler's own
     * 404 for an id that names nothing, the same refusal (and so the same language) as for a number that is absent.
     */
    public long number(String name, Supplier<HttpError> missing) {
        try {
            return Long.parseLong(text(name));
        } catch (NumberFormatException e) {
            throw missing.get();
        }
    }
}
