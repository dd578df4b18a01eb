package org.parley.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every address Parley answers, in one list: each route is a method, a path pattern and the handler that answers
 * it, in a group whose {@link Guard} runs first. Patterns are literal segments and {@code :name} segments, each of
 * which matches one non-empty segment ({@code /c/:id/vote}). The first route whose pattern matches wins, so a
 * literal route written above a parameter route takes precedence; a path that matches only routes of other
 * methods is a 405 naming them.
 */
public final class RouteTable {
    /** GET routes answer HEAD too (the servlet API drops the body); OPTIONS is answered for every path. */
    public static final String GET = "GET";
    public static final String POST = "POST";

    public record Route(String method, String pattern, String group, Guard guard, Handler handler) {
        List<String> segments() {
            return RouteTable.segments(pattern);
        }

        /** The pattern with its parameters unnamed: two routes of one shape match the same paths. */
        List<String> shape() {
            return segments().stream().map(s -> s.startsWith(":") ? ":" : s).toList();
        }
    }

    /**
     * What a request's method and path come to: the route and its parameters, or no route with the methods the
     * path does answer (empty: no such page), or an address whose percent-encoding is broken.
     */
    public record Resolution(Route route, PathParams params, Set<String> allowed, boolean badlyEncoded) {
        static final Resolution BADLY_ENCODED = new Resolution(null, PathParams.NONE, Set.of(), true);
    }

    private final List<Route> routes;
    /** Each route's pattern split once, in the same order: a request only compares segments. */
    private final List<List<String>> patterns;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.patterns = this.routes.stream().map(Route::segments).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Route> routes() {
        return routes;
    }

    /** {@code rawPath} is the request URI without the context path, still percent-encoded. */
    public Resolution resolve(String method, String rawPath) {
        List<String> path;
        try {
            path = Requests.decoded(segments(rawPath));
        } catch (IllegalArgumentException e) {
            return Resolution.BADLY_ENCODED;
        }
        String wanted = "HEAD".equals(method) ? GET : method;
        Set<String> allowed = new LinkedHashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            Map<String, String> params = match(patterns.get(i), path);
            if (params == null) {
                continue;
            }
            if (route.method().equals(wanted)) {
                return new Resolution(route, new PathParams(params), Set.of(), false);
            }
            allowed.add(route.method());
        }
        return new Resolution(null, PathParams.NONE, allowed, false);
    }

    private static Map<String, String> match(List<String> pattern, List<String> path) {
        if (pattern.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String expected = pattern.get(i);
            String actual = path.get(i);
            if (expected.startsWith(":")) {
                if (actual.isEmpty()) {
                    return null;
                }
                params.put(expected.substring(1), actual);
            } else if (!expected.equals(actual)) {
                return null;
            }
        }
        return params;
    }

    /** "/" → []; "/admin" → [admin]; "/admin/" → [admin, ""] (a trailing slash is a segment of its own). */
    private static List<String> segments(String path) {
        if (path.isEmpty() || "/".equals(path)) {
            return List.of();
        }
        return Arrays.asList((path.startsWith("/") ? path.substring(1) : path).split("/", -1));
    }

    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        /** A named group of routes behind one guard; {@code routes} adds them. */
        public Builder group(String name, Guard guard, Consumer<Group> routes) {
            routes.accept(new Group(name, guard, this));
            return this;
        }

        public RouteTable build() {
            return new RouteTable(routes);
        }

        private void add(Route route) {
            if (!route.pattern().startsWith("/")) {
                throw new IllegalArgumentException("a route's pattern starts with /: " + route.pattern());
            }
            for (Route other : routes) {
                if (other.method().equals(route.method()) && other.shape().equals(route.shape())) {
                    throw new IllegalArgumentException(route.method() + " " + route.pattern() + " is in the table twice");
                }
            }
            routes.add(route);
        }
    }

    /** The routes of one guard. */
    public static final class Group {
        private final String name;
        private final Guard guard;
        private final Builder builder;

        private Group(String name, Guard guard, Builder builder) {
            this.name = name;
            this.guard = guard;
            this.builder = builder;
        }

        public Group get(String pattern, Handler handler) {
            builder.add(new Route(GET, pattern, name, guard, handler));
            return this;
        }

        public Group post(String pattern, Handler handler) {
            builder.add(new Route(POST, pattern, name, guard, handler));
            return this;
        }
    }
}
