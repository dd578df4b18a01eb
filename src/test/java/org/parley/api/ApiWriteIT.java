package org.parley.api;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's writes as clients make them, every answer held to the OpenAPI document: a guest's post from a program
 * and from an allowed page (CORS), refused from another origin; a signed-in person's post, edit, vote, report and
 * deletion with the session's CSRF token (and refused without it); posting and moderating with keys (audited as
 * the key); errors as problems naming the JSON field; and the same SQL for a post to a short and a long thread.
 */
class ApiWriteIT {
    private static final String THREAD = "/api/v1/sites/default/threads/api-write/comments";
    private static final String ELSEWHERE = "https://elsewhere.example";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static ApiKeys keys;
    private static long ownerId;

    @BeforeAll
    static void threads() {
        server.thread("api-write");
        var long_ = server.thread("api-write-long");
        for (int i = 0; i < 120; i++) {
            server.post(long_, null, "Long " + i);
        }
        var main = server.parley().databases().main();
        keys = new ApiKeys(main, server.parley().cache(), java.time.Clock.systemUTC());
        ownerId = main.fetchSingle("SELECT id FROM main.account WHERE is_admin LIMIT 1").get(0, Long.class);
    }

    @Test
    void aGuestPostsFromAProgramAndFromAnAllowedPageButNotFromAnotherOrigin() throws Exception {
        HttpResponse<String> posted = post(server.client(), THREAD,
                "{\"body\":\"From a *program*\",\"author\":{\"name\":\"Bot\"}}", Map.of());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        Map<String, Object> comment = JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(posted.body()), "comment");
        assertThat(comment).containsEntry("state", "approved").containsEntry("html", "<p>From a <em>program</em></p>");
        assertThat(posted.headers().firstValue("Location")).hasValue(String.valueOf(comment.get("permalink")));
        assertThat(server.client().get("/t/default/api-write").body()).contains("From a <em>program</em>");

        HttpResponse<String> fromPage = post(server.client(), THREAD, "{\"body\":\"From the page\",\"author\":{\"name\":\"Ann\"}}",
                Map.of("Origin", TestServer.ORIGIN));
        assertThat(fromPage.statusCode()).isEqualTo(201);
        assertThat(fromPage.headers().firstValue("Access-Control-Allow-Origin")).hasValue(TestServer.ORIGIN);
        assertThat(fromPage.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");

        HttpResponse<String> preflight = server.client().send("OPTIONS", THREAD, Map.of("Origin", TestServer.ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-csrf-token"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("Content-Type", "X-CSRF-Token", "Authorization");
        HttpResponse<String> foreignPreflight = server.client().send("OPTIONS", THREAD, Map.of("Origin", ELSEWHERE,
                "Access-Control-Request-Method", "POST"));
        assertThat(foreignPreflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> foreign = post(server.client(), THREAD, "{\"body\":\"Forged\",\"author\":{\"name\":\"Eve\"}}",
                Map.of("Origin", ELSEWHERE));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(server.client().get("/t/default/api-write").body()).doesNotContain("Forged");
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndWritesNothing() {
        int before = commentCount();
        assertProblem(post(server.client(), THREAD, "{\"body\":\"  \",\"author\":{\"name\":\"Bot\"}}", Map.of()), 400, "body");
        assertProblem(post(server.client(), THREAD, "{\"body\":\"Hi\"}", Map.of()), 400, "author.name");
        assertProblem(post(server.client(), THREAD, "{\"body\":\"Hi\",\"author\":{\"name\":7}}", Map.of()), 400, "author.name");
        assertProblem(post(server.client(), THREAD, "{\"body\":\"Hi\",\"author\":{\"name\":\"B\"},\"parentId\":\"x1\"}",
                Map.of()), 400, "parentId");
        assertProblem(post(server.client(), THREAD, "{\"body\":\"Hi\",\"author\":{\"name\":\"B\"},\"parentId\":\"1\"}",
                Map.of()), 400, "parentId");
        assertProblem(post(server.client(), THREAD, "{\"body\":\"x".repeat(2) + "\"", Map.of()), 400, null);
        assertProblem(post(server.client(), THREAD, "[1,2]", Map.of()), 400, null);
        assertProblem(post(server.client(), THREAD, "{\"body\":\"" + "x".repeat(10_001) + "\",\"author\":{\"name\":\"B\"}}",
                Map.of()), 400, "body");
        HttpResponse<String> form = ApiContract.check("POST", THREAD, server.client().postJson(THREAD,
                "{\"body\":\"Hi\"}", Map.of("Content-Type", "text/plain")));
        assertThat(form.statusCode()).isEqualTo(415);
        assertProblem(post(server.client(), "/api/v1/sites/default/threads/no-such-thread/comments",
                "{\"body\":\"Hi\",\"author\":{\"name\":\"B\"}}", Map.of()), 404, null);
        assertThat(commentCount()).isEqualTo(before);
    }

    @Test
    void aSignedInPersonPostsEditsVotesReportsAndDeletesWithTheSessionsToken() throws Exception {
        WebClient member = server.signedUp("api-member@example.com", "Mia");
        member.get(TestServer.embedPath("api-write"));
        String token = member.csrf();
        assertThat(token).isNotNull();

        HttpResponse<String> noToken = post(member, THREAD, "{\"body\":\"No token\"}", Map.of());
        assertThat(noToken.statusCode()).isEqualTo(403);
        HttpResponse<String> posted = post(member, THREAD, "{\"body\":\"Mine\"}", Map.of("X-CSRF-Token", token));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        String id = String.valueOf(JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(posted.body()), "comment").get("id"));
        assertThat(posted.body()).contains("\"name\":\"Mia\"");

        String base = "/api/v1/sites/default/comments/" + id;
        HttpResponse<String> edited = post(member, base + "/edit", "{\"body\":\"Mine, edited\"}", Map.of("X-CSRF-Token", token));
        assertThat(edited.statusCode()).isEqualTo(200);
        assertThat(edited.body()).contains("Mine, edited", "\"editedAt\":\"");

        long other = server.post(server.thread("api-write"), null, "Someone else's");
        String otherBase = "/api/v1/sites/default/comments/" + other;
        assertThat(post(member, otherBase + "/vote", "{\"value\":\"up\"}", Map.of("X-CSRF-Token", token)).statusCode())
                .isEqualTo(204);
        assertProblem(post(member, otherBase + "/vote", "{\"value\":\"sideways\"}", Map.of("X-CSRF-Token", token)), 400, "value");
        assertThat(post(member, otherBase + "/flag", "{\"reason\":\"abuse\",\"note\":\"rude\"}",
                Map.of("X-CSRF-Token", token)).body()).contains("\"reported\":true");
        assertThat(post(member, otherBase + "/flag", "{\"reason\":\"abuse\"}", Map.of("X-CSRF-Token", token)).body())
                .contains("\"reported\":false");
        assertProblem(post(member, otherBase + "/edit", "{\"body\":\"Hijacked\"}", Map.of("X-CSRF-Token", token)), 403, null);
        assertProblem(post(server.client(), otherBase + "/vote", "{\"value\":\"up\"}", Map.of()), 401, null);

        // a comment others cannot see (held for a moderator) is not there for them: the same 404 as none
        long held = server.post(server.thread("api-write"), null, "Held back");
        int shard = org.parley.data.Ids.shardOf(held);
        server.parley().databases().write(shard).execute("UPDATE " + org.parley.data.ShardRouter.schemaOf(shard)
                + ".comment SET state = 'pending' WHERE id = " + held);
        String heldBase = "/api/v1/sites/default/comments/" + held;
        assertProblem(post(member, heldBase + "/flag", "{\"reason\":\"spam\"}", Map.of("X-CSRF-Token", token)), 404, null);
        assertProblem(post(member, heldBase + "/vote", "{\"value\":\"up\"}", Map.of("X-CSRF-Token", token)), 404, null);

        assertThat(post(member, base + "/delete", "", Map.of("X-CSRF-Token", token)).statusCode()).isEqualTo(204);
        assertThat(server.client().get("/t/default/api-write").body()).doesNotContain("Mine, edited");
    }

    @Test
    void keysPostAsTheSiteReadHeldCommentsAndModerateAuditedAsTheKey() throws Exception {
        server.mainSql("UPDATE main.site SET guests_allowed = false, premoderation = true WHERE name = 'default'");
        try {
            ApiKeys.Created writer = keys.create(server.site().id(), "app backend", EnumSet.of(ApiKey.Scope.WRITE), ownerId);
            ApiKeys.Created mod = keys.create(server.site().id(), "moderation bot",
                    EnumSet.of(ApiKey.Scope.READ, ApiKey.Scope.MODERATE), ownerId);

            assertProblem(post(server.client(), THREAD, "{\"body\":\"Guest\",\"author\":{\"name\":\"G\"}}", Map.of()), 403, null);
            HttpResponse<String> posted = post(server.client(), THREAD, "{\"body\":\"From the app\",\"author\":{\"name\":\"Appy\"}}",
                    bearer(writer));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
            String id = String.valueOf(JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(posted.body()), "comment").get("id"));
            assertThat(posted.body()).contains("\"state\":\"pending\"", "\"name\":\"Appy\"");

            String one = "/api/v1/sites/default/comments/" + id;
            assertThat(get(server.client(), one, Map.of()).statusCode()).as("held: not public").isEqualTo(404);
            HttpResponse<String> seen = get(server.client(), one, bearer(mod));
            assertThat(seen.statusCode()).isEqualTo(200);
            assertThat(seen.body()).contains("\"state\":\"pending\"", "From the app");
            assertThat(seen.headers().firstValue("Cache-Control")).hasValue("private, no-store");
            assertThat(get(server.client(), "/api/v1/sites/default/queue", bearer(mod)).body()).contains(id);

            assertProblem(post(server.client(), one + "/moderate", "{\"action\":\"approve\"}", bearer(writer)), 403, "Authorization");
            HttpResponse<String> approved = post(server.client(), one + "/moderate",
                    "{\"action\":\"approve\",\"expected\":\"pending\"}", bearer(mod));
            assertThat(approved.body()).contains("\"before\":\"pending\"", "\"state\":\"approved\"");
            assertProblem(post(server.client(), one + "/moderate", "{\"action\":\"spam\",\"expected\":\"pending\"}",
                    bearer(mod)), 409, null);
            assertThat(server.parley().databases().main().fetchSingle("SELECT count(*) FROM main.audit_log"
                    + " WHERE api_key_id = ? AND target = ? AND action = 'approve'", mod.key().id(), "comment:" + id)
                    .get(0, Long.class)).isEqualTo(1);
            assertThat(server.parley().databases().main().fetchSingle("SELECT last_used_at IS NOT NULL FROM main.api_key"
                    + " WHERE id = ?", mod.key().id()).get(0, Boolean.class)).isTrue();

            keys.revoke(server.site().id(), writer.key().id());
            HttpResponse<String> revoked = post(server.client(), THREAD, "{\"body\":\"Again\",\"author\":{\"name\":\"A\"}}",
                    bearer(writer));
            assertProblem(revoked, 401, "Authorization");
            assertThat(revoked.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        } finally {
            server.mainSql("UPDATE main.site SET guests_allowed = true, premoderation = false WHERE name = 'default'");
        }
    }

    @Test
    void aPostCostsTheSameStatementsOnAShortAndALongThread() {
        int small = sql(post(server.client(), THREAD, "{\"body\":\"Counting\",\"author\":{\"name\":\"C\"}}", Map.of()));
        int big = sql(post(server.client(), "/api/v1/sites/default/threads/api-write-long/comments",
                "{\"body\":\"Counting\",\"author\":{\"name\":\"C\"}}", Map.of()));
        assertThat(big).isEqualTo(small);
    }

    // ---- helpers ----

    static Map<String, String> bearer(ApiKeys.Created key) {
        return Map.of("Authorization", "Bearer " + key.secret());
    }

    static HttpResponse<String> post(WebClient client, String path, String json, Map<String, String> headers) {
        return ApiContract.check("POST", path, client.postJson(path, json, headers));
    }

    static HttpResponse<String> get(WebClient client, String path, Map<String, String> headers) {
        return ApiContract.check(path, client.get(path, headers));
    }

    static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        if (field != null) {
            assertThat(response.body()).contains("\"field\":\"" + field + "\"");
        }
    }

    static int commentCount() {
        return server.parley().databases().write(server.thread("api-write").shard())
                .fetchSingle("SELECT count(*) FROM " + org.parley.data.ShardRouter.schemaOf(server.thread("api-write").shard())
                        + ".comment WHERE thread_id = ?", server.thread("api-write").id()).get(0, Integer.class);
    }

    static int sql(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Integer.parseInt(response.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }
}
