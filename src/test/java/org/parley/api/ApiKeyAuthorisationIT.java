package org.parley.api;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.web.RouteTable;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's authorisation matrix: every API route × every kind of key (and none). Keys carry scopes read, write
 * and moderate; a revoked key is 401 everywhere, another site's key 403 on every site's route, and within the site each
 * route asks for its scope. The site takes no guests here, so "no key" is refused for writes too. Every refused
 * write is checked to have changed nothing; every answer is held to the OpenAPI document. A new API route is one
 * row in {@link #ROUTES}, and a route without a row fails {@link #theMatrixTriesEveryApiRoute}.
 */
class ApiKeyAuthorisationIT {
    enum Caller { NONE, READ, WRITE, MODERATE, ALL, REVOKED, OTHER_SITE }

    private static final Set<Caller> VALID = EnumSet.of(Caller.NONE, Caller.READ, Caller.WRITE, Caller.MODERATE, Caller.ALL);

    /**
     * A route: who succeeds with {@code success}; the other valid callers get {@code refused}, or {@code refusedNone}
     * when no key is sent. {@code applied} says whether a write took effect.
     */
    record Route(String method, String path, String body, int success, Set<Caller> allowed, int refused,
                 int refusedNone, Predicate<Map<String, String>> applied) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Route> ROUTES = List.of(
            open("/api/v1/openapi.json"),
            open("/api/v1/sites/default"),
            open("/api/v1/sites/default/threads"),
            open("/api/v1/sites/default/threads/matrix"),
            open("/api/v1/sites/default/threads/matrix/comments"),
            open("/api/v1/sites/default/counts?key=matrix"),
            open("/api/v1/sites/default/comments/recent"),
            open("/api/v1/sites/default/comments/{approved}"),
            new Route("GET", "/api/v1/sites/default/comments/{pending}", "", 200, EnumSet.of(Caller.READ, Caller.ALL),
                    404, 404, v -> true),
            new Route("GET", "/api/v1/sites/default/queue", "", 200,
                    EnumSet.of(Caller.READ, Caller.MODERATE, Caller.ALL), 403, 401, v -> true),
            new Route("POST", "/api/v1/sites/default/threads/matrix/comments",
                    "{\"body\":\"Matrix {n}\",\"author\":{\"name\":\"Bot\"}}", 201, EnumSet.of(Caller.WRITE, Caller.ALL),
                    403, 403, v -> count("SELECT count(*) FROM %s.comment WHERE body_source = 'Matrix " + v.get("n") + "'") == 1),
            new Route("POST", "/api/v1/sites/default/comments/{pending}/moderate", "{\"action\":\"approve\"}", 200,
                    EnumSet.of(Caller.MODERATE, Caller.ALL), 403, 401, v -> state(v.get("pending")).equals("approved")),
            person("/api/v1/sites/default/comments/{approved}/edit", "{\"body\":\"Changed {n}\"}",
                    v -> text(v.get("approved")).equals("Changed " + v.get("n"))),
            person("/api/v1/sites/default/comments/{approved}/delete", "", v -> state(v.get("approved")).equals("deleted")),
            person("/api/v1/sites/default/comments/{approved}/vote", "{\"value\":\"up\"}",
                    v -> count("SELECT count(*) FROM %s.vote WHERE comment_id = " + v.get("approved")) == 1),
            person("/api/v1/sites/default/comments/{approved}/flag", "{\"reason\":\"spam\"}",
                    v -> count("SELECT count(*) FROM %s.flag WHERE comment_id = " + v.get("approved")) == 1));

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static final Map<Caller, String> secrets = new EnumMap<>(Caller.class);
    private static int attempts;

    @BeforeAll
    static void keys() {
        var main = server.parley().databases().main();
        long owner = main.fetchSingle("SELECT id FROM main.account WHERE is_admin LIMIT 1").get(0, Long.class);
        long other = new SiteRepository(main).create("other", "Other", List.of(TestServer.ORIGIN));
        ApiKeys keys = new ApiKeys(main, server.parley().cache(), Clock.systemUTC());
        long site = server.site().id();
        var all = EnumSet.allOf(ApiKey.Scope.class);
        secrets.put(Caller.READ, keys.create(site, "read", EnumSet.of(ApiKey.Scope.READ), owner).secret());
        secrets.put(Caller.WRITE, keys.create(site, "write", EnumSet.of(ApiKey.Scope.WRITE), owner).secret());
        secrets.put(Caller.MODERATE, keys.create(site, "moderate", EnumSet.of(ApiKey.Scope.MODERATE), owner).secret());
        secrets.put(Caller.ALL, keys.create(site, "all", all, owner).secret());
        ApiKeys.Created revoked = keys.create(site, "revoked", all, owner);
        keys.revoke(site, revoked.key().id());
        secrets.put(Caller.REVOKED, revoked.secret());
        secrets.put(Caller.OTHER_SITE, keys.create(other, "other", all, owner).secret());
        server.thread("matrix");
        server.mainSql("UPDATE main.site SET guests_allowed = false WHERE name = 'default'");
    }

    @Test
    void theMatrixTriesEveryApiRoute() {
        RouteTable table = server.parley().routes();
        Set<String> served = new TreeSet<>();
        table.routes().stream().filter(r -> r.group().equals("api"))
                .forEach(r -> served.add(r.method() + " " + r.pattern()));
        Set<String> tried = new TreeSet<>();
        for (Route row : ROUTES) {
            String path = row.path().replaceAll("\\{[a-z]+}", "1").replaceFirst("\\?.*$", "");
            RouteTable.Route route = table.resolve(row.method(), path).route();
            assertThat(route).as(row + " is in the route table").isNotNull();
            tried.add(route.method() + " " + route.pattern());
        }
        assertThat(tried).containsAll(served);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Route route : ROUTES) {
            for (Caller caller : Caller.values()) {
                cases.add(Arguments.of(route, caller));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void eachRouteAsksForItsScope(Route route, Caller caller) {
        Map<String, String> values = fixtures(route);
        String path = fill(route.path(), values);
        Map<String, String> headers = new HashMap<>();
        if (secrets.containsKey(caller)) {
            headers.put("Authorization", "Bearer " + secrets.get(caller));
        }
        HttpResponse<String> response = route.method().equals("GET") ? server.client().get(path, headers)
                : server.client().postJson(path, fill(route.body(), values), headers);
        ApiContract.check(route.method(), path, response);
        String seen = response.statusCode() + " " + response.body();

        int expected;
        if (caller == Caller.REVOKED) {
            expected = 401;
        } else if (caller == Caller.OTHER_SITE && !route.path().equals("/api/v1/openapi.json")) {
            expected = 403;
        } else if (route.allowed().contains(caller)) {
            expected = route.success();
        } else if (caller == Caller.NONE) {
            expected = route.refusedNone();
        } else {
            expected = route.refused();
        }
        assertThat(response.statusCode()).as(seen).isEqualTo(expected);
        if (route.method().equals("POST")) {
            assertThat(route.applied().test(values)).as("the write took effect: " + seen)
                    .isEqualTo(expected == route.success() && VALID.contains(caller));
        }
    }

    // ---- rows ----

    /** Public data: every valid caller reads it. */
    static Route open(String path) {
        return new Route("GET", path, "", 200, VALID, 200, 200, v -> true);
    }

    /** A person's own action: no key may (403), and without a session it is a 401. */
    static Route person(String path, String body, Predicate<Map<String, String>> applied) {
        return new Route("POST", path, body, 200, EnumSet.noneOf(Caller.class), 403, 401, applied);
    }

    // ---- fixtures ----

    private static Map<String, String> fixtures(Route route) {
        Map<String, String> values = new HashMap<>();
        values.put("n", Integer.toString(++attempts));
        if (route.path().contains("{approved}")) {
            values.put("approved", Long.toString(guestPost("Approved " + attempts)));
        }
        if (route.path().contains("{pending}")) {
            long id = guestPost("Pending " + attempts);
            shardSql(id, "UPDATE %s.comment SET state = 'pending' WHERE id = " + id);
            values.put("pending", Long.toString(id));
        }
        return values;
    }

    /** A guest's comment on the matrix thread, written as the site would take it with guests allowed. */
    private static long guestPost(String text) {
        return server.comments().post(server.site().takingGuests(), server.thread("matrix"), null,
                new org.parley.discussion.CommentForm(text, null, "Guest", null), "127.0.0.1").id();
    }

    private static String fill(String template, Map<String, String> values) {
        String out = template;
        for (var e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    private static void shardSql(long commentId, String sql) {
        int shard = Ids.shardOf(commentId);
        server.parley().databases().write(shard).execute(sql.formatted(ShardRouter.schemaOf(shard)));
    }

    static String state(String commentId) {
        return column(commentId, "state");
    }

    static String text(String commentId) {
        return column(commentId, "body_source");
    }

    private static String column(String commentId, String column) {
        int shard = Ids.shardOf(Long.parseLong(commentId));
        return server.parley().databases().write(shard).fetchSingle("SELECT " + column + " FROM "
                + ShardRouter.schemaOf(shard) + ".comment WHERE id = " + commentId).get(0, String.class);
    }

    /** A count over the matrix thread's shard ({@code %s} is its schema). */
    static long count(String sqlWithSchema) {
        int shard = server.thread("matrix").shard();
        return server.parley().databases().write(shard).fetchSingle(sqlWithSchema.formatted(ShardRouter.schemaOf(shard)))
                .get(0, Long.class);
    }
}
