package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.Config;
import org.parley.config.StartupException;
import org.parley.discussion.CommentThread;
import org.parley.discussion.CounterReconciliation;
import org.parley.testing.PgCluster;
import org.parley.testing.TestConfig;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A logical shard moves between two real PostgreSQL servers (OS PostgreSQL, wal_level=logical) while a visitor
 * keeps posting through Parley's HTTP form and another keeps reading the page: every acknowledged comment is on
 * the target exactly once, nothing unacknowledged appears, the page never stops answering, IDs keep rising
 * across the switch, and a move interrupted twice (once during the copy, once with writes paused) completes when
 * run again.
 */
class ShardMoveIT {
    private static final Pattern COMMENT_ID = Pattern.compile("#comment-(\\d+)$");
    /** Guests posting to the moving shard's thread at once. */
    private static final int WRITERS = 4;

    /** A post its writer was told was stored. */
    private record Ack(int writer, long id, String body) {
    }
    private static PgCluster first;
    private static PgCluster second;
    private static String firstDb;
    private static String secondDb;
    private static TestServer server;
    private static Config config;

    @BeforeAll
    static void start() {
        first = PgCluster.start();
        second = PgCluster.start();
        firstDb = first.createDatabase();
        secondDb = second.createDatabase();
        Map<String, String> settings = new HashMap<>();
        settings.put("PARLEY_DB_URL", first.url(firstDb).jdbcUrl());
        settings.put("PARLEY_SHARDS", "4");
        settings.put("PARLEY_SHARD_MAP", "0-3:main");
        settings.put("PARLEY_CLUSTER_DB2_URL", second.url(secondDb).jdbcUrl());
        server = TestServer.start(settings);
        config = TestConfig.load(server.settings());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    /** What the command line does: its own pools, the agreed shard map. */
    private static Databases mover() {
        Databases databases = Databases.open(config.clusters(), config.shardMap(), config.connectTimeout(),
                new MetricRegistry());
        ShardPlacements.apply(databases);
        return databases;
    }

    private static final class Interrupted extends RuntimeException {
        Interrupted(String at) {
            super("interrupted at: " + at);
        }
    }

    /** Progress that prints, and throws once a line containing {@code stopAt} is reported (null: never). */
    private static Consumer<String> progress(List<String> lines, String stopAt) {
        return line -> {
            System.out.println("move-shard: " + line);
            lines.add(line);
            if (stopAt != null && line.contains(stopAt)) {
                throw new Interrupted(line);
            }
        };
    }

    private static void awaitCount(java.util.function.IntSupplier count, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (count.getAsInt() < atLeast) {
            assertThat(System.nanoTime()).as("still waiting for %d, at %d", atLeast, count.getAsInt()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A visitor thread that dies must fail the test, not vanish. */
    private static void guard(List<String> failures, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | AssertionError e) {
            failures.add("died: " + e);
        }
    }

    private static String keyOnShard(int shard, String prefix) {
        var router = new ShardRouter(4);
        long site = server.site().id();
        for (int i = 0; ; i++) {
            if (router.shardOf(site, prefix + i) == shard) {
                return prefix + i;
            }
        }
    }

    @Test
    void aShardMovesUnderContinuousWritesWithoutLosingOrDuplicatingAny() throws Exception {
        int shard = 1;
        String key = keyOnShard(shard, "moving-");
        CommentThread thread = server.thread(key);
        for (int i = 0; i < 40; i++) {
            server.post(thread, null, "seed " + i);
        }
        String page = TestServer.standalonePath(key);

        AtomicBoolean running = new AtomicBoolean(true);
        List<Ack> acknowledged = new CopyOnWriteArrayList<>();
        List<String> writeFailures = new CopyOnWriteArrayList<>();
        List<String> readFailures = new CopyOnWriteArrayList<>();
        var slowestPostMs = new java.util.concurrent.atomic.AtomicLong();
        int[] reads = new int[1];
        // several writers, so that posts meet and go in shared transactions (GroupCommit): a batch the fence
        // refuses must run again on the target, not fail its posts
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writerNumber = w;
            writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> guard(writeFailures, () -> {
                WebClient guest = server.client();
                guest.get(page);
                for (int n = 0; running.get(); n++) {
                    String body = "written during the move by writer " + writerNumber + ", " + n;
                    long started = System.nanoTime();
                    HttpResponse<String> posted = guest.post(page, Map.of("name", "Writer", "body", body));
                    slowestPostMs.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
                    Matcher id = COMMENT_ID.matcher(posted.headers().firstValue("Location").orElse(""));
                    if ((posted.statusCode() == 302 || posted.statusCode() == 303) && id.find()) {
                        acknowledged.add(new Ack(writerNumber, Long.parseLong(id.group(1)), body));
                    } else {
                        writeFailures.add(posted.statusCode() + " " + posted.body().replaceAll("\\s+", " ")
                                .substring(0, Math.min(300, posted.body().length())));
                    }
                }
            })));
        }
        Thread reader = Thread.ofPlatform().name("reader").start(() -> guard(readFailures, () -> {
            WebClient visitor = server.client();
            while (running.get()) {
                HttpResponse<String> shown = visitor.get(page);
                reads[0]++;
                if (shown.statusCode() != 200) {
                    readFailures.add(shown.statusCode() + "");
                }
            }
        }));

        // both visitors are under way before the move starts
        awaitCount(() -> acknowledged.size() + writeFailures.size(), 5);
        awaitCount(() -> reads[0] + readFailures.size(), 3);
        List<String> lines = new ArrayList<>();
        ShardMove.Result result;
        try (Databases databases = mover()) {
            var move = new ShardMove(databases, shard, progress(lines, "Initial copy done"), Duration.ofMinutes(2), null);
            assertThatThrownBy(() -> move.run("db2")).isInstanceOf(Interrupted.class);
            assertThat(move.state()).map(ShardMove.State::step).contains(ShardMove.Step.COPYING);
        }
        try (Databases databases = mover()) {
            var move = new ShardMove(databases, shard, progress(lines, "are paused"), Duration.ofMinutes(2), null);
            assertThatThrownBy(() -> move.run("db2")).isInstanceOf(Interrupted.class);
            Thread.sleep(300); // writers meet the fence and wait meanwhile
        }
        try (Databases databases = mover()) {
            result = new ShardMove(databases, shard, progress(lines, null), Duration.ofMinutes(2), null).run("db2");
        }
        int ackedAtSwitch = acknowledged.size();
        awaitCount(() -> acknowledged.size() + writeFailures.size(), ackedAtSwitch + 5); // now on the target
        running.set(false);
        for (Thread writer : writers) {
            writer.join();
        }
        reader.join();

        System.out.printf("[measure] shard move write pause (fence to switch, including a rerun after an interruption"
                + " with writes paused): %d ms; %d posts acknowledged, %d page reads, slowest post during the move:"
                + " %d ms; PostgreSQL %s%n", result.pauseMillis(), acknowledged.size(), reads[0], slowestPostMs.get(), first.primary().queryText("postgres", "SHOW server_version"));
        assertThat(writeFailures).as("every post was acknowledged").isEmpty();
        assertThat(readFailures).as("the page kept answering (%d reads)", reads[0]).isEmpty();
        assertThat(acknowledged.size()).as("posts went on after the switch").isGreaterThan(ackedAtSwitch);
        for (int w = 0; w < WRITERS; w++) {
            int writerNumber = w;
            assertThat(acknowledged.stream().filter(a -> a.writer() == writerNumber).map(Ack::id).toList())
                    .as("writer %d's IDs keep rising across the switch", w).isSorted();
        }
        assertThat(acknowledged.stream().map(Ack::id).toList()).doesNotHaveDuplicates();

        // the target holds each acknowledged comment exactly once, and nothing the writer was not told about
        String s = ShardRouter.schemaOf(shard);
        List<String> onTarget = new ArrayList<>();
        try (var c = second.primary().connect(secondDb); var st = c.createStatement();
             var rs = st.executeQuery("SELECT id, body_source FROM " + s + ".comment WHERE thread_id = " + thread.id()
                     + " AND body_source LIKE 'written during the move %' ORDER BY id")) {
            while (rs.next()) {
                onTarget.add(rs.getLong(1) + " " + rs.getString(2));
            }
        }
        List<String> expected = acknowledged.stream().sorted(java.util.Comparator.comparingLong(Ack::id))
                .map(a -> a.id() + " " + a.body()).toList();
        assertThat(onTarget).containsExactlyElementsOf(expected);

        // every instance follows the placement in the main database; the counters came along consistent
        assertThat(server.parley().databases().shardMap().clusterOf(shard)).isEqualTo("db2");
        assertThat(first.primary().queryText(firstDb, "SELECT cluster FROM main.shard_placement WHERE shard = 1"))
                .isEqualTo("db2");
        assertThat(new CounterReconciliation(server.parley().databases(), 100, true, (t, v) -> { }).run(shard).fixes())
                .isEmpty();
        Ack newest = acknowledged.stream().max(java.util.Comparator.comparingLong(Ack::id)).orElseThrow();
        assertThat(server.client().get(page + "?sort=newest").body()).contains(newest.body());

        // the old copy is read-only for good; no replication is left running
        assertThatThrownBy(() -> first.primary().execute(firstDb,
                "UPDATE " + s + ".thread SET title = 'stale' WHERE id = " + thread.id()))
                .hasMessageContaining("has moved to another cluster");
        assertThat(first.primary().queryText(firstDb, "SELECT count(*) FROM pg_replication_slots")).isEqualTo("0");
        assertThat(first.primary().queryText(firstDb, "SELECT count(*) FROM pg_publication")).isEqualTo("0");
        assertThat(second.primary().queryText(secondDb, "SELECT count(*) FROM pg_subscription")).isEqualTo("0");
        assertThat(lines).anyMatch(l -> l.startsWith("Continuing the move of s0001 from main to db2 after step 'copying'"))
                .anyMatch(l -> l.startsWith("Verified: the target holds the source's rows exactly"));

        // moving it again to where it is does nothing
        try (Databases databases = mover()) {
            List<String> again = new ArrayList<>();
            new ShardMove(databases, shard, progress(again, null), Duration.ofMinutes(1), null).run("db2");
            assertThat(again).containsExactly("s0001 is already on cluster db2; nothing to do.");
        }
    }

    @Test
    void anAbortedMoveLeavesTheShardWhereItWasAndWritable() {
        int shard = 2;
        String key = keyOnShard(shard, "staying-");
        CommentThread thread = server.thread(key);
        server.post(thread, null, "before");
        try (Databases databases = mover()) {
            var move = new ShardMove(databases, shard, progress(new ArrayList<>(), "are paused"), Duration.ofMinutes(2), null);
            assertThatThrownBy(() -> move.run("db2")).isInstanceOf(Interrupted.class);
            List<String> lines = new ArrayList<>();
            new ShardMove(databases, shard, progress(lines, null), Duration.ofMinutes(1), null).abort();
            assertThat(lines).contains("Aborted: s0002 stays on cluster main and takes writes.");
        }
        assertThat(server.post(thread, null, "after the abort")).isPositive();
        assertThat(second.primary().queryText(secondDb, "SELECT to_regnamespace('s0002') IS NULL")).isEqualTo("t");
        assertThat(second.primary().queryText(secondDb, "SELECT count(*) FROM pg_subscription")).isEqualTo("0");
        assertThat(first.primary().queryText(firstDb, "SELECT count(*) FROM main.shard_placement WHERE shard = 2"))
                .isEqualTo("0");
        assertThat(server.parley().databases().shardMap().clusterOf(shard)).isEqualTo("main");

        // and it can be moved afterwards, this time without interruption: the plain pause, measured
        long after;
        try (Databases databases = mover()) {
            ShardMove.Result result = new ShardMove(databases, shard, progress(new ArrayList<>(), null),
                    Duration.ofMinutes(2), null).run("db2");
            System.out.printf("[measure] shard move write pause, uninterrupted, small shard: %d ms%n", result.pauseMillis());
            after = result.rows().get("s0002.comment");
        }
        assertThat(after).isEqualTo(2);
        assertThat(server.post(thread, null, "after the move")).isPositive();
        assertThat(second.primary().queryText(secondDb, "SELECT count(*) FROM s0002.comment")).isEqualTo("3");
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        try (Databases databases = mover()) {
            assertThatThrownBy(() -> new ShardMove(databases, 0, line -> { }, Duration.ofMinutes(1), null).run("db9"))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("Cluster 'db9' is not defined here; define PARLEY_CLUSTER_DB9_URL");
            assertThatThrownBy(() -> new ShardMove(databases, 9, line -> { }, Duration.ofMinutes(1), null))
                    .hasMessageContaining("There is no logical shard 9; this cluster has shards 0-3.");
            assertThatThrownBy(() -> new ShardMove(databases, 3, line -> { }, Duration.ofMinutes(1), null).abort())
                    .hasMessageContaining("No move of s0003 is in progress; nothing to abort.");
        }
    }
}
