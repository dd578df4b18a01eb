package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.discussion.CommentForm;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The statistics page: the numbers a moderator reads off it, its charts, and what it costs. */
class StatsIT {
    private static final String PASSWORD = "correct horse battery";
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static long otherSite;
    /** Five days ago, so the test cannot straddle midnight UTC into the wrong row. */
    private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(5);

    @BeforeAll
    static void start() {
        var main = server.parley().databases().main();
        otherSite = new SiteRepository(main).create("other", "Other site", List.of(TestServer.ORIGIN));
        var accounts = new AccountRepository(main);
        new Moderators(main).add(server.site().id(), accounts.create("mod@example.com", "Mod", Passwords.hash(PASSWORD)).orElseThrow());
        new Moderators(main).add(otherSite, accounts.create("othermod@example.com", "Other Mod", Passwords.hash(PASSWORD)).orElseThrow());
    }

    @Test
    void aModeratorReadsCommentsQueueAndWaitingTimesPerDay() {
        WebClient mod = signedIn(server, "mod@example.com");
        long quick = pending(server, "quick");
        long slow = pending(server, "slow");
        long waiting = pending(server, "still waiting");
        mod.get("/admin/queue?queue=pending");
        for (long id : List.of(quick, slow)) {
            HttpResponse<String> approved = mod.post("/admin/comments/" + id + "/approve", Map.of("expected", "pending"));
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(302);
        }
        // the moderation above recorded when and from what; move it all to noon five days ago
        String noon = "'" + DAY + " 12:00:00+00'";
        shardSql(quick, "UPDATE %s.comment SET created_at = " + noon + ", first_moderated_at = timestamptz " + noon
                + " + interval '10 minutes' WHERE id = " + quick + " AND first_moderated_from = 'pending'");
        shardSql(slow, "UPDATE %s.comment SET created_at = " + noon + ", first_moderated_at = timestamptz " + noon
                + " + interval '50 minutes' WHERE id = " + slow + " AND first_moderated_from = 'pending'");
        shardSql(waiting, "UPDATE %s.comment SET created_at = " + noon + " WHERE id = " + waiting);

        HttpResponse<String> page = mod.get("/admin/stats?site=" + server.site().id());
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body().replaceAll("\\s+", " ");
        // comments 3; at the end of the day 1 pending, waiting 12 h; 2 moderated: median 10 min, p90 50 min
        assertThat(html).contains("<th scope=\"row\">" + DAY + "</th> <td>3</td> <td>1</td> <td>12.0 h</td> <td>2</td> "
                + "<td>10 min</td> <td>50 min</td>");
        assertThat(html).contains("<th scope=\"row\">" + DAY.minusDays(1) + "</th> <td>0</td> <td>0</td> <td>—</td> <td>0</td>");
        // the waiting comment is still pending today, five days old
        assertThat(html).contains("Now: <strong>1</strong> pending", "the oldest waiting <strong>");

        // four accessible charts, drawn here: a title and a description each, no outside resource; each title is
        // also shown above its chart
        assertThat(html.split("<svg ", -1).length - 1).isEqualTo(4);
        assertThat(html).contains("<figcaption>Comments per day</figcaption>",
                "<figcaption>Time to first moderation</figcaption>");
        assertThat(html).contains("role=\"img\"", "<title id=\"chart-comments-title\">Comments per day</title>",
                "<desc id=\"chart-moderation-desc\">", "Time to first moderation", "90th percentile", "Day (UTC)");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("src=\"http", "href=\"http");
    }

    @Test
    void anotherSitesStatisticsAreNotFound() {
        HttpResponse<String> forged = signedIn(server, "othermod@example.com").get("/admin/stats?site=" + server.site().id());
        assertThat(forged.statusCode()).isEqualTo(404);
        assertThat(forged.body()).contains("No such site among the ones you moderate.");
        // with one site, the page shows that one
        assertThat(signedIn(server, "othermod@example.com").get("/admin/stats").body()).contains("Statistics of", "Other site");
    }

    /**
     * One statement per physical database, whatever the number of logical shards: the statistics and an author's
     * history (the two console pages that read every shard besides the queue).
     */
    @Test
    void statisticsAndAuthorHistoryCostTheSameFor8And64ShardsOnOneDatabase() {
        Map<String, Integer> eight = consoleStatements(8);
        Map<String, Integer> sixtyFour = consoleStatements(64);
        assertThat(eight).isEqualTo(sixtyFour);
        // the viewer (first page after signing in), their sites, site names, the statistics, the queue's count now
        assertThat(eight.get("stats")).isEqualTo(5);
        // their sites, the address checked by PostgreSQL, bans naming it, the history, site names (viewer now cached)
        assertThat(eight.get("author")).isEqualTo(5);
    }

    private static Map<String, Integer> consoleStatements(int shards) {
        try (TestServer s = TestServer.start(Map.of("PARLEY_SHARDS", Integer.toString(shards)))) {
            var accounts = new AccountRepository(s.parley().databases().main());
            long boss = accounts.create("boss@example.com", "Boss", Passwords.hash(PASSWORD)).orElseThrow();
            s.mainSql("UPDATE main.account SET is_admin = true WHERE id = " + boss);
            for (int i = 0; i < 20; i++) {
                s.post(s.thread("t" + i), null, "comment " + i);
            }
            WebClient client = signedIn(s, "boss@example.com");
            HttpResponse<String> page = client.get("/admin/stats?site=" + s.site().id());
            assertThat(page.statusCode()).isEqualTo(200);
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            assertThat(Pattern.compile("<th scope=\"row\">(" + today + "|" + LocalDate.parse(today).minusDays(1)
                    + ")</th>\\s*<td>20</td>").matcher(page.body()).find()).as("20 comments today").isTrue();
            HttpResponse<String> author = client.get("/admin/authors/" + s.site().id() + "/ip/127.0.0.1");
            assertThat(author.statusCode()).isEqualTo(200);
            assertThat(author.body().split("class=\"queue-item\"", -1).length - 1).isEqualTo(20);
            return Map.of("stats", sqlCount(page), "author", sqlCount(author));
        }
    }

    private static int sqlCount(HttpResponse<String> page) {
        return Integer.parseInt(page.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }

    private static long pending(TestServer s, String body) {
        Site site = s.site();
        Site premoderated = new Site(site.id(), site.name(), site.displayName(), site.guestsAllowed(), true,
                site.editWindow(), site.maxCommentLength(), site.closed());
        return s.comments().post(premoderated, s.thread("stats"), null, new CommentForm(body, null, "Guest", null),
                "127.0.0.1").id();
    }

    private static void shardSql(long commentId, String sqlWithSchema) {
        int updated = server.parley().databases().write(Ids.shardOf(commentId))
                .execute(sqlWithSchema.formatted(ShardRouter.schemaOf(Ids.shardOf(commentId))));
        assertThat(updated).as(sqlWithSchema).isEqualTo(1);
    }

    private static WebClient signedIn(TestServer s, String email) {
        WebClient client = s.client();
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", new HashMap<>(Map.of("email", email, "password", PASSWORD)));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }
}
