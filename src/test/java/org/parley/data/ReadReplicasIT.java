package org.parley.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.ParleyServer;
import org.parley.testing.PgCluster;
import org.parley.testing.PgServer;
import org.parley.testing.TestConfig;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;
import org.parley.web.RequestLogFilter;
import org.parley.web.WritePositionCookie;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reads on a real streaming replica (OS PostgreSQL, {@code pg_basebackup -R}) that applies every commit
 * {@link #DELAY} late: anonymous readers are served by it, a writer always sees their own write at once (read from
 * the primary through the signed write-position cookie), and a replica that stops sends reads to the primary
 * without an error page, and gets them back when it returns. Which server answered is read from the per-request
 * {@code X-Parley-Sql-Targets} header (development mode), not guessed from timing.
 */
class ReadReplicasIT {
    private static final Duration DELAY = Duration.ofSeconds(4);
    private static final Pattern SHARD_ON_PRIMARY = Pattern.compile("s\\d{4}/primary");
    private static PgCluster pg;
    private static PgServer replica;
    private static ParleyServer parley;
    private static String base;

    @BeforeAll
    static void start() {
        pg = PgCluster.start();
        String db = pg.createDatabase();
        replica = pg.addReplica();
        Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(pg.url(db), 8));
        settings.put("PARLEY_DB_REPLICAS", replica.url(db).jdbcUrl());
        settings.put("PARLEY_REPLICA_POLL_MS", "200");
        settings.put("PARLEY_PUBLIC_URL", TestServer.ORIGIN);
        settings.put("PARLEY_RATE_LIMITS", "false");
        parley = ParleyServer.start(TestConfig.load(settings)); // migrates the primary: PostgreSQL 15 here
        TestServer.withoutSpamChecks(parley); // its tests post fast from one address
        base = "http://127.0.0.1:" + parley.port();
        pg.awaitReplay(replica, Duration.ofSeconds(30)); // the schema is on the replica before it lags on purpose
        PgCluster.setApplyDelay(replica, DELAY);
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
        pg.close();
    }

    @BeforeEach
    void replicaServesReads() {
        await().atMost(Duration.ofSeconds(30)).until(() -> parley.databases().replicas().getFirst().state().usable());
    }

    @Test
    void anAnonymousReaderIsServedByTheReplica() {
        String path = threadWithComment("replica-read", "Already replicated");
        pg.awaitReplay(replica, DELAY.multipliedBy(5));

        HttpResponse<String> page = new WebClient(base).get(path);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Already replicated");
        assertThat(targets(page)).contains("/replica=").doesNotContainPattern(SHARD_ON_PRIMARY);
        assertThat(page.headers().firstValue("Set-Cookie").orElse("")).doesNotContain(WritePositionCookie.COOKIE);
    }

    @Test
    void aWriterAlwaysSeesTheirWriteWhileTheReplicaIsDelayed() {
        String path = threadWithComment("ryw", "Opening comment");
        pg.awaitReplay(replica, DELAY.multipliedBy(5));
        WebClient writer = new WebClient(base);

        for (int i = 1; i <= 3; i++) {
            String mine = "My comment number " + i;
            String before = writer.get(path).headers().firstValue("ETag").orElseThrow(); // the page before the write
            HttpResponse<String> posted = writer.post(path, Map.of("name", "Writer", "body", mine));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
            assertThat(writer.cookie(WritePositionCookie.COOKIE)).as("write position cookie").isNotBlank();

            HttpResponse<String> own = writer.follow(posted);
            assertThat(own.body()).contains(mine);
            assertThat(targets(own)).containsPattern(SHARD_ON_PRIMARY).doesNotContain("/replica=");

            // at the same moment, a reader without the cookie is served by the replica, which has not applied it
            HttpResponse<String> other = new WebClient(base).get(path);
            assertThat(targets(other)).contains("/replica=").doesNotContainPattern(SHARD_ON_PRIMARY);
            assertThat(other.body()).contains("Opening comment").doesNotContain(mine);

            // that reader's older thread row must not turn the writer's revalidation into "304, keep the old page"
            HttpResponse<String> revalidated = writer.get(path, Map.of("If-None-Match", before));
            assertThat(revalidated.statusCode()).as("the writer's conditional reload").isEqualTo(200);
            assertThat(revalidated.body()).contains(mine);
        }
        await().atMost(DELAY.multipliedBy(5)).untilAsserted(() ->
                assertThat(new WebClient(base).get(path).body()).contains("My comment number 3"));
    }

    @Test
    void stoppingTheReplicaSendsReadsToThePrimaryWithoutErrorsAndStartingItBringsThemBack() {
        String path = threadWithComment("failover", "Survives the replica");
        pg.awaitReplay(replica, DELAY.multipliedBy(5));
        assertThat(targets(new WebClient(base).get(path))).contains("/replica=");

        replica.stop();
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // a new address each time: a stored page reads nothing, and what is tested here is where reads go
            HttpResponse<String> page = new WebClient(base).get(path + "?view=" + i);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("Survives the replica");
            served.add(targets(page));
        }
        assertThat(served.getLast()).containsPattern(SHARD_ON_PRIMARY).doesNotContain("/replica=");
        assertThat(parley.databases().replicas().getFirst().state().usable()).isFalse();

        replica.start();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(targets(new WebClient(base).get(path + "?view=" + System.nanoTime()))).contains("/replica="));
    }

    @Test
    void aPostReadsNothingFromTheReplica() {
        String path = threadWithComment("post-on-primary", "First");
        pg.awaitReplay(replica, DELAY.multipliedBy(5));
        assertThat(targets(new WebClient(base).get(path + "?view=before"))).as("reads do use the replica").contains("/replica=");

        HttpResponse<String> posted = new WebClient(base).post(path, Map.of("name", "Guest", "body", "Second"));

        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        assertThat(targets(posted)).as("every statement of a write request, reads included").containsPattern(SHARD_ON_PRIMARY)
                .doesNotContain("/replica=");
    }

    @Test
    void postsInFlightWhenTheReplicaStopsAreAllSaved() throws Exception {
        String path = threadWithComment("replica-stops", "Before");
        pg.awaitReplay(replica, DELAY.multipliedBy(5));
        var answers = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int n = 0; running.get(); n++) {
                    HttpResponse<String> posted = new WebClient(base).post(path,
                            Map.of("name", "Writer " + writer, "body", "Writer " + writer + " comment " + n));
                    answers.add(posted.statusCode() + (posted.statusCode() == 302 ? "" : " " + posted.body()));
                }
            }));
        }
        try {
            Thread.sleep(500);
            replica.stop(); // mid-traffic: pooled replica connections break under whatever uses them
            Thread.sleep(1500);
        } finally {
            running.set(false);
            for (Thread writer : writers) {
                writer.join(Duration.ofSeconds(30));
            }
            replica.start();
        }
        assertThat(answers).as("every post was acknowledged").isNotEmpty().allMatch("302"::equals);
    }

    /** A thread made through the embed (which creates it) with one guest comment; returns its standalone path. */
    private static String threadWithComment(String key, String body) {
        WebClient author = new WebClient(base);
        assertThat(author.get(TestServer.embedPath(key)).statusCode()).isEqualTo(200);
        String path = TestServer.standalonePath(key);
        assertThat(author.get(path).statusCode()).as("the author reads the new thread at once").isEqualTo(200);
        HttpResponse<String> posted = author.post(path, Map.of("name", "Author", "body", body));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        return path;
    }

    private static String targets(HttpResponse<String> response) {
        return response.headers().firstValue(RequestLogFilter.SQL_TARGETS_HEADER).orElse("");
    }
}
