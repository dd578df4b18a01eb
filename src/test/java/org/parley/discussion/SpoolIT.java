package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.ParleyServer;
import org.parley.data.Ids;
import org.parley.testing.PgCluster;
import org.parley.testing.PgServer;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 20, "accept comments while a shard's primary is down", with real servers: main on one PostgreSQL, every
 * shard on a second one, which the test stops. Posts made meanwhile — from the standalone page, from the embed,
 * as a reply, through the API — are spooled on main and their authors see them on the "saved" page; once the
 * primary is back, each appears in its discussion exactly once, in the order written, within seconds. What
 * cannot be spooled is still refused clearly: a comment with no text at once, a full spool with 503 and
 * Retry-After. (The spool surviving its instance's death mid-replay is SpoolReplayKillIT.)
 */
class SpoolIT {
    private static final Pattern SAVED = Pattern.compile("^/c/(\\d+)/saved\\?(?:.*&)?token=([A-Za-z0-9_-]+)$");
    /** Within this of the primary's return, every spooled comment is on its page (the goal is 10 s). */
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);

    private static PgCluster shards;
    private static ParleyServer parley;
    private static String base;
    private static String shardDatabase;

    @BeforeAll
    static void start() {
        shards = PgCluster.start();
        Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(TestPostgres.shared().newDatabase(), 8));
        shardDatabase = shards.createDatabase();
        settings.put("PARLEY_CLUSTER_DB2_URL", shards.url(shardDatabase).jdbcUrl());
        settings.put("PARLEY_CLUSTER_DB2_USER", PgServer.USER);
        settings.put("PARLEY_SHARD_MAP", "0-7:db2");
        settings.put("PARLEY_PUBLIC_URL", TestServer.ORIGIN);
        settings.put("PARLEY_RATE_LIMITS", "false");
        settings.put("PARLEY_SPOOL_MAX_PER_INSTANCE", "7");
        parley = ParleyServer.start(TestConfig.load(settings));
        TestServer.withoutSpamChecks(parley);
        base = "http://127.0.0.1:" + parley.port();
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
        if (shards != null) {
            shards.close();
        }
    }

    @Test
    void commentsSentWhileTheShardsPrimaryIsDownAreSavedThenAppearOnceInOrder() {
        WebClient guest = new WebClient(base);
        String key = "spooled-article";
        assertThat(guest.get(TestServer.embedPath(key)).statusCode()).isEqualTo(200); // the thread exists
        var first = guest.post(TestServer.standalonePath(key), Map.of("body", "Before the outage", "name", "Ada"));
        assertThat(first.statusCode()).isEqualTo(302);
        long parentId = Long.parseLong(first.headers().firstValue("Location").orElseThrow().replaceAll(".*#comment-", ""));
        assertThat(guest.get(TestServer.standalonePath(key)).body()).contains("Before the outage");
        WebClient member = new WebClient(base);
        member.get("/signup");
        assertThat(member.post("/signup", Map.of("email", "spool@example.com", "name", "Grace",
                "password", TestServer.PASSWORD)).statusCode()).isEqualTo(302);
        member.get(TestServer.standalonePath(key)); // a page with the form, for the CSRF token

        shards.primary().stop();
        try {
            List<Saved> saved = new ArrayList<>();
            saved.add(spooled(guest.post(TestServer.standalonePath(key),
                    Map.of("body", "Spooled one, **standalone**", "name", "Ada"))));
            saved.add(spooled(guest.post(TestServer.embedPath(key),
                    Map.of("body", "Spooled two, from the embed", "name", "Ada"))));
            saved.add(spooled(guest.post(TestServer.standalonePath(key),
                    Map.of("body", "Spooled three, a reply", "name", "Ada", "parent", Long.toString(parentId)))));
            saved.add(spooled(member.post(TestServer.standalonePath(key), Map.of("body", "Spooled four, by a member"))));
            // the member sees it in their own view of the thread, marked as waiting, though the shard cannot be read
            String mine = member.get("/t/default/" + key + "/me").body();
            assertThat(mine).contains("\"signedIn\":true").contains("Spooled four, by a member")
                    .contains("Saved: it will appear for everyone shortly.")
                    .contains("\"id\":\"" + saved.getLast().id() + "\"");
            assertThat(guest.get("/t/default/" + key).body()).doesNotContain("Spooled four");
            // a thread nobody has viewed yet, from the embed on an allowed page: the replay starts it
            saved.add(spooled(guest.post(TestServer.embedPath("new-during-outage"),
                    Map.of("body", "Spooled five, first of its thread", "name", "Ada"))));

            // the author sees what they wrote, and that it is saved; nobody without the token does
            var page = guest.get(saved.getFirst().path());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Your comment is saved").contains("<strong>standalone</strong>");
            assertThat(guest.get(saved.getFirst().path().replaceAll("token=.*", "token=forged")).statusCode())
                    .isEqualTo(404);
            var embedded = guest.get(saved.get(1).path());
            assertThat(embedded.headers().firstValue("Content-Security-Policy").orElse(""))
                    .as("shown in the site's iframe").contains("frame-ancestors " + TestServer.ORIGIN);

            // IDs carry the shard and the spool's half of the sequence, and grow in the order written
            for (int i = 0; i < saved.size(); i++) {
                assertThat(Ids.isSpooled(saved.get(i).id())).isTrue();
                if (i > 0) {
                    assertThat(saved.get(i).id()).isGreaterThan(saved.get(i - 1).id());
                }
            }

            // what cannot be kept is refused as a post would be: a mistake at once, a full spool with Retry-After
            var empty = guest.post(TestServer.standalonePath(key), Map.of("body", "  ", "name", "Ada"));
            assertThat(empty.statusCode()).isEqualTo(400);
            assertThat(empty.body()).contains("Your comment is empty.");
            // a program posting through the API hears 202 Accepted, and where its comment's fate can be seen
            String api = "/api/v1/sites/default/threads/" + key + "/comments";
            var accepted = org.parley.api.ApiContract.check("POST", api, guest.postJson(api,
                    "{\"body\":\"Spooled by a program\",\"author\":{\"name\":\"Bot\"}}", Map.of()));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(accepted.body()).contains("\"state\":\"spooled\"");
            assertThat(guest.get(accepted.headers().firstValue("Location").orElseThrow()).body())
                    .contains("Spooled by a program");
            saved.add(spooled(guest.post(TestServer.standalonePath(key), Map.of("body", "Spooled six", "name", "Ada"))));
            var full = guest.post(TestServer.standalonePath(key), Map.of("body", "One too many", "name", "Ada"));
            assertThat(full.statusCode()).as(full.body()).isEqualTo(503);
            assertThat(full.headers().firstValue("Retry-After")).isPresent();
            assertThat(waiting()).isEqualTo(7);
            // the operator sees the depth and the age (refreshed every second by each instance)
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(guest.get("/metrics").body())
                    .containsPattern("parley_spool_waiting_comments 7(\\.0)?\\s")
                    .containsPattern("parley_spool_oldest_age_seconds (?!0(\\.0)?\\s)\\d"));

            shards.primary().start();
            long back = System.nanoTime();
            await().atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(200))
                    .until(() -> waiting() == 0);
            System.out.printf("[measure] spool: 7 comments visible %.1f s after the primary's return%n",
                    (System.nanoTime() - back) / 1e9);

            String thread = guest.get(TestServer.standalonePath(key)).body();
            for (String body : List.of("Spooled one, <strong>standalone</strong>", "Spooled two, from the embed",
                    "Spooled three, a reply", "Spooled four, by a member", "Spooled by a program", "Spooled six")) {
                assertThat(count(thread, body)).as(body).isEqualTo(1);
            }
            assertThat(thread.indexOf("Spooled one")).isLessThan(thread.indexOf("Spooled two"));
            assertThat(thread).contains("7 comments");
            assertThat(guest.get(TestServer.standalonePath("new-during-outage")).body())
                    .contains("Spooled five, first of its thread");
            // the reply is under its parent, the member's comment is the member's
            assertThat(shardText("SELECT parent_id FROM s%s.comment WHERE id = " + saved.get(2).id(),
                    saved.get(2).id())).isEqualTo(Long.toString(parentId));
            assertThat(shardText("SELECT author_name FROM s%s.comment WHERE id = " + saved.get(3).id(),
                    saved.get(3).id())).isEqualTo("Grace");
            // and once posted, their view shows it as everyone's: no longer marked as waiting
            String posted = member.get("/t/default/" + key + "/me").body();
            assertThat(posted).contains("Spooled four, by a member").doesNotContain("appear for everyone shortly");

            // the "saved" page now leads to the comment in its discussion
            var after = guest.get(saved.getFirst().path());
            assertThat(after.statusCode()).isEqualTo(302);
            assertThat(after.headers().firstValue("Location").orElseThrow()).isEqualTo("/c/" + saved.getFirst().id());

            // exactly once: a row whose replay committed but whose mark was lost is only marked again
            parley.databases().main().execute("UPDATE main.comment_spool SET replayed_at = NULL, outcome = NULL"
                    + " WHERE comment_id = " + saved.getFirst().id());
            await().atMost(VISIBLE_WITHIN).until(() -> waiting() == 0);
            assertThat(count(guest.get(TestServer.standalonePath(key)).body(), "Spooled one")).isEqualTo(1);
            assertThat(guest.get(TestServer.standalonePath(key)).body()).contains("7 comments");
        } finally {
            if (!shards.primary().running()) {
                shards.primary().start();
            }
        }
    }

    /**
     * A comment spooled for a page that had no thread yet, whose thread a view then starts once the primary is back
     * but before the replay: the thread is younger than the comment's spooled ID, and a thread lists only younger
     * comments, so the replay gives the comment a new ID first. The author's "saved" address still leads to it.
     */
    @Test
    void aThreadStartedAfterTheOutageStillShowsTheCommentSpooledForIt() throws Exception {
        WebClient guest = new WebClient(base);
        guest.get(TestServer.embedPath("warm-up"));
        String key = "started-after-the-outage";
        long siteId = parley.databases().main().fetchSingle("SELECT id FROM main.site WHERE name = 'default'")
                .get(0, Long.class);
        int shard = new org.parley.data.ShardRouter(8).shardOf(siteId, key);
        String mainUrl = parley.databases().main().fetchSingle("SELECT 'jdbc:postgresql://127.0.0.1:'"
                + " || current_setting('port') || '/' || current_database()").get(0, String.class);
        Saved saved;
        // the replay waits on its lock while a view starts the thread on the primary, as one may in that second
        try (var hold = java.sql.DriverManager.getConnection(mainUrl, TestPostgres.user(), "")) {
            hold.setAutoCommit(false);
            hold.createStatement().execute("SELECT pg_advisory_xact_lock(hashtext('parley.spool-replay-" + shard + "'))");
            shards.primary().stop();
            try {
                saved = spooled(guest.post(TestServer.embedPath(key),
                        Map.of("body", "Written before its thread", "name", "Ada")));
            } finally {
                shards.primary().start();
            }
            shards.primary().execute(shardDatabase, "INSERT INTO s%04d.thread (site_id, key, url, title) VALUES (%d, '%s', '%s', '')"
                    .formatted(shard, siteId, key, TestServer.ORIGIN + "/" + key));
            hold.rollback();
        }
        await().atMost(VISIBLE_WITHIN).until(() -> waiting() == 0);
        long written = parley.databases().main().fetchSingle("SELECT comment_id FROM main.comment_spool WHERE spooled_id = "
                + saved.id()).get(0, Long.class);
        assertThat(written).as("renumbered after its thread").isNotEqualTo(saved.id());
        assertThat(guest.get(TestServer.standalonePath(key)).body()).contains("Written before its thread");
        assertThat(guest.get(saved.path()).headers().firstValue("Location")).hasValue("/c/" + written + "?embed=default");
    }

    /** The author's "saved" address and the comment's ID, from a post's redirect. */
    private record Saved(long id, String path) {
    }

    private static Saved spooled(HttpResponse<String> post) {
        assertThat(post.statusCode()).as(post.body()).isEqualTo(302);
        String location = post.headers().firstValue("Location").orElseThrow();
        URI uri = URI.create(location);
        String path = uri.getRawPath() + "?" + uri.getRawQuery();
        Matcher m = SAVED.matcher(path);
        assertThat(m.matches()).as(location).isTrue();
        return new Saved(Long.parseLong(m.group(1)), path);
    }

    private static long waiting() {
        return parley.databases().main()
                .fetchSingle("SELECT count(*) FROM main.comment_spool WHERE replayed_at IS NULL").get(0, Long.class);
    }

    private static String shardText(String sql, long commentId) {
        return shards.primary().queryText(shardDatabase, sql.formatted(String.format("%04d", Ids.shardOf(commentId))));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
