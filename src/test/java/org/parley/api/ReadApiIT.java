package org.parley.api;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.discussion.CommentView.State;
import org.parley.discussion.ThreadVersions;
import org.parley.moderation.ModerationService;
import org.parley.testing.TestServer;
import org.parley.web.RouteTable;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON API's reads as a client uses them, every response held to the OpenAPI document ({@link ApiContract}):
 * a site, a thread and its 304, comments page by page in each sort with tombstones and without held comments, the
 * same SQL for a short and a long thread, counts and recent comments, errors as problems naming the field, and
 * every API route of the server described in the document (and nothing described that is not served).
 */
class ReadApiIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static final int LONG = 120;
    private static long top;
    private static long removed;
    private static long held;

    @BeforeAll
    static void threads() {
        var short_ = server.thread("api-short");
        top = server.post(short_, null, "Top **one**");
        server.post(short_, top, "A reply");
        removed = server.post(short_, null, "Soon removed");
        server.post(short_, removed, "Reply under a tombstone");
        held = server.post(short_, null, "Held back");
        var accounts = new AccountRepository(server.parley().databases().main());
        Account mod = accounts.byId(accounts.create("api-mod@example.com", "Mod", "x").orElseThrow()).orElseThrow();
        var moderation = new ModerationService(server.parley().databases(), new ThreadVersions(server.parley().cache()));
        moderation.act(mod, Set.of(server.site().id()), removed, ModerationService.Action.REJECT, State.APPROVED);
        moderation.act(mod, Set.of(server.site().id()), held, ModerationService.Action.HOLD, State.APPROVED);
        var long_ = server.thread("api-long");
        for (int i = 1; i <= LONG; i++) {
            server.post(long_, null, "Long " + i);
        }
    }

    @Test
    void theDocumentDescribesItselfAndEveryApiRouteTheServerHas() {
        get("/api/v1/openapi.json");

        Set<String> served = new TreeSet<>();
        for (RouteTable.Route route : server.parley().routes().routes()) {
            if (route.pattern().startsWith("/api/")) {
                served.add(route.method() + " " + route.pattern().replaceAll(":([a-zA-Z]+)", "{$1}"));
            }
        }
        Set<String> described = new TreeSet<>();
        ApiContract.paths().forEach(p -> ApiContract.document().get("paths").get(p).propertyNames()
                .forEach(m -> described.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p)));
        assertThat(described).isEqualTo(served);
    }

    @Test
    void aSiteAndAThreadWithItsRevalidation() {
        assertThat(get("/api/v1/sites/default").body()).contains("\"name\":\"default\"", "\"guestsAllowed\":true");

        HttpResponse<String> thread = get("/api/v1/sites/default/threads/api-short");
        assertThat(thread.body()).contains("\"key\":\"api-short\"", "\"commentCount\":3", "/t/default/api-short/atom");
        String etag = thread.headers().firstValue("ETag").orElseThrow();
        assertThat(thread.headers().firstValue("Cache-Control")).hasValue("public, no-cache");
        assertThat(get("/api/v1/sites/default/threads/api-short", Map.of("If-None-Match", etag)).statusCode())
                .isEqualTo(304);

        assertThat(get("/api/v1/sites/nowhere").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/sites/default/threads/never-made").body()).contains("There is no thread 'never-made'");
    }

    @Test
    void commentsComeWithTheirRepliesTombstonesStayAndHeldOnesDoNot() {
        String body = get("/api/v1/sites/default/threads/api-short/comments").body();

        assertThat(body).contains("\"html\":\"\\u003cp>Top \\u003cstrong>one\\u003c/strong>\\u003c/p>\"",
                        "A reply", "Reply under a tombstone", "\"state\":\"deleted\",\"author\":null,\"html\":null",
                        "\"next\":null")
                .doesNotContain("Soon removed", "Held back");
        assertThat(body.indexOf("Top")).isLessThan(body.indexOf("A reply"));
    }

    @Test
    void aLongThreadComesPageByPageInEachSortForTheSameSql() {
        HttpResponse<String> first = get("/api/v1/sites/default/threads/api-long/comments");
        String next = first.body().replaceAll("(?s).*\"next\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> second = get("/api/v1/sites/default/threads/api-long/comments?after=" + next);
        String nextAgain = second.body().replaceAll("(?s).*\"next\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> third = get("/api/v1/sites/default/threads/api-long/comments?after=" + nextAgain);

        assertThat(first.body()).contains("\"Long 1\"".replace("\"Long 1\"", "Long 1\\u003c"), "Long 50\\u003c")
                .doesNotContain("Long 51\\u003c");
        assertThat(second.body()).contains("Long 51\\u003c", "Long 100\\u003c");
        assertThat(third.body()).contains("Long 120\\u003c", "\"next\":null");
        assertThat(get("/api/v1/sites/default/threads/api-long/comments?sort=newest").body()).startsWith(
                "{\"comments\":[{").contains("Long 120\\u003c").doesNotContain("Long 1\\u003c/p>");

        // the first answer for a version reads PostgreSQL (the same statements whatever the size) ...
        HttpResponse<String> shortFirst = get("/api/v1/sites/default/threads/api-short/comments?sort=best");
        HttpResponse<String> longFirst = get("/api/v1/sites/default/threads/api-long/comments?sort=best");
        assertThat(sql(shortFirst)).isPositive();
        assertThat(sql(longFirst)).as("the same statements for %d comments as for 5", LONG).isEqualTo(sql(shortFirst));
        // ... and the next ones for that version come from the cache, as the thread pages do
        HttpResponse<String> longAgain = get("/api/v1/sites/default/threads/api-long/comments?sort=best");
        assertThat(sql(longAgain)).isZero();
        assertThat(longAgain.body()).isEqualTo(longFirst.body());
        assertThat(longAgain.headers().firstValue("ETag")).isEqualTo(longFirst.headers().firstValue("ETag"));
    }

    @Test
    void aNewCommentIsInTheNextAnswerNotTheCachedOne() {
        var thread = server.thread("api-fresh");
        server.post(thread, null, "Before");
        String before = get("/api/v1/sites/default/threads/api-fresh/comments").body();
        assertThat(sql(get("/api/v1/sites/default/threads/api-fresh/comments"))).isZero();
        server.post(thread, null, "After");
        HttpResponse<String> after = get("/api/v1/sites/default/threads/api-fresh/comments");
        assertThat(before).doesNotContain("After");
        assertThat(after.body()).contains("Before", "After");
    }

    @Test
    void aSitesThreadsComeLatestActivityFirstPageByPage() {
        var threads = new org.parley.discussion.ThreadRepository(server.parley().databases());
        var site = new org.parley.site.SiteRepository(server.parley().databases().main());
        long listed = site.create("api-list", "Listed", java.util.List.of(TestServer.ORIGIN));
        for (int i = 0; i < 55; i++) {
            threads.findOrCreate(listed, "list-" + i, TestServer.ORIGIN + "/list-" + i, "List " + i);
        }
        var busy = threads.findOrCreate(listed, "list-busy", TestServer.ORIGIN + "/busy", "Busy");
        var listedSite = site.byId(listed).orElseThrow();
        server.comments().post(listedSite, busy, null, new org.parley.discussion.CommentForm("New", null, "Guest", null),
                "127.0.0.1");

        String first = get("/api/v1/sites/api-list/threads").body();
        String next = first.replaceAll("(?s).*\"next\":\"([^\"]+)\".*", "$1");
        String second = get("/api/v1/sites/api-list/threads?before=" + next).body();

        java.util.List<String> keys = new java.util.ArrayList<>();
        for (String page : java.util.List.of(first, second)) {
            var m = java.util.regex.Pattern.compile("\"key\":\"([^\"]+)\"").matcher(page);
            while (m.find()) {
                keys.add(m.group(1));
            }
        }
        assertThat(keys.getFirst()).as("the thread with the newest comment").isEqualTo("list-busy");
        assertThat(keys).hasSize(56).doesNotHaveDuplicates();
        assertThat(keys.get(1)).as("then the newest made").isEqualTo("list-54");
        assertThat(second).contains("\"next\":null");
        assertThat(get("/api/v1/sites/api-list/threads?before=nonsense").body()).contains("\"field\":\"before\"");
    }

    @Test
    void countsAndRecentCommentsThroughTheApi() {
        assertThat(get("/api/v1/sites/default/counts?key=api-short&key=api-long").body())
                .contains("\"api-short\":3", "\"api-long\":" + LONG);
        assertThat(get("/api/v1/sites/default/comments/recent?limit=2").body()).contains("\"comments\":[");
    }

    @Test
    void oneCommentByIdWithItsThreadAndRevalidation() {
        HttpResponse<String> one = get("/api/v1/sites/default/comments/" + top);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("\"id\":\"" + top + "\"", "Top \\u003cstrong>one", "\"key\":\"api-short\"",
                "/api/v1/sites/default/threads/api-short/comments");
        String etag = one.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/api/v1/sites/default/comments/" + top, Map.of("If-None-Match", etag)).statusCode())
                .isEqualTo(304);

        HttpResponse<String> tombstone = get("/api/v1/sites/default/comments/" + removed);
        assertThat(tombstone.statusCode()).as("removed, but replies hang on it").isEqualTo(200);
        assertThat(tombstone.body()).contains("\"state\":\"deleted\"", "\"html\":null").doesNotContain("Soon removed");
        for (String missing : new String[] {Long.toString(held), "12345", "not-a-number", "99999999999999999999"}) {
            HttpResponse<String> refused = get("/api/v1/sites/default/comments/" + missing);
            assertThat(refused.statusCode()).as(missing).isEqualTo(404);
            assertThat(refused.body()).as(missing).contains("There is no such comment on this site.")
                    .doesNotContain("Held back");
        }
        assertThat(get("/api/v1/sites/elsewhere/comments/" + top).statusCode()).isEqualTo(404);
    }

    @Test
    void wrongParametersAreProblemsNamingTheField() {
        HttpResponse<String> sort = get("/api/v1/sites/default/threads/api-short/comments?sort=loudest");
        assertThat(sort.statusCode()).isEqualTo(400);
        assertThat(sort.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(sort.body()).contains("\"field\":\"sort\"", "sort is oldest, newest or best.");
        assertThat(get("/api/v1/sites/default/threads/api-short/comments?after=x").body()).contains("\"field\":\"after\"");
        assertThat(get("/api/v1/sites/default/comments/recent?limit=0").body()).contains("\"field\":\"limit\"");
    }

    /** The oracle itself can fail: a thread is not a site, and a status the document does not list is refused. */
    @Test
    void theContractRefusesWhatTheDocumentDoesNotSay() {
        HttpResponse<String> thread = server.client().get("/api/v1/sites/default/threads/api-short");
        HttpResponse<String> missing = server.client().get("/api/v1/openapi.json/nothing");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiContract.check("/api/v1/sites/default", thread))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not match #/components/schemas/Site");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiContract.check("/api/v1/sites/x/threads/y/comments/z",
                missing)).isInstanceOf(AssertionError.class).hasMessageContaining("no operation in openapi.json");
    }

    private static HttpResponse<String> get(String path) {
        return get(path, Map.of());
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) {
        return ApiContract.check(path, server.client().get(path, headers));
    }

    private static int sql(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }
}
