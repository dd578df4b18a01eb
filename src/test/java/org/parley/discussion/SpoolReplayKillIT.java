package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.data.ShardRouter;
import org.parley.testing.FreePort;
import org.parley.testing.JarProcess;
import org.parley.testing.PgCluster;
import org.parley.testing.PgServer;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The exactly-once test: the instance holding spooled comments is killed (SIGKILL) during their replay,
 * then restarted, and every comment appears once. The kill is placed where it matters: comments for two threads
 * of one shard wait in the spool; the test holds the second thread's row, so the replay writes the first comment
 * to the shard (committed there) and then waits — with the spool's marks still uncommitted on main. The kill
 * loses those marks; after the restart the replay finds that comment's ID already on the shard and only marks
 * it, and writes the rest.
 */
class SpoolReplayKillIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final int PER_THREAD = 10;

    @Test
    void anInstanceKilledDuringReplayAndRestartedWritesEveryCommentOnce(@TempDir Path dir) throws Exception {
        try (PgCluster shards = PgCluster.start()) {
            String shardDb = shards.createDatabase();
            var mainDb = TestPostgres.shared().newDatabase();
            Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(mainDb, 8));
            int port = FreePort.find();
            settings.put("PARLEY_PORT", Integer.toString(port));
            settings.put("PARLEY_CLUSTER_DB2_URL", shards.url(shardDb).jdbcUrl());
            settings.put("PARLEY_CLUSTER_DB2_USER", PgServer.USER);
            settings.put("PARLEY_SHARD_MAP", "0-7:db2");
            settings.put("PARLEY_PUBLIC_URL", TestServer.ORIGIN);
            settings.put("PARLEY_RATE_LIMITS", "false");
            settings.put("PARLEY_DRAIN_SECONDS", "0");
            settings.put("PARLEY_SESSION_KEYS", "c3Bvb2wtcmVwbGF5LWtpbGwtdGVzdC1rZXktMzJieXQ=");

            JarProcess first = JarProcess.start(dir.resolve("first"), settings);
            JarProcess second = null;
            try (Connection main = DriverManager.getConnection(mainDb.jdbcUrl(), TestPostgres.user(), "")) {
                first.awaitStdout("Parley is ready", START);
                execute(main, "UPDATE main.site SET spam_checks = false");
                long siteId = number(main, "SELECT id FROM main.site WHERE name = 'default'");
                List<String> keys = twoKeysOfOneShard(siteId);
                int shard = new ShardRouter(8).shardOf(siteId, keys.getFirst());
                String schema = ShardRouter.schemaOf(shard);
                WebClient guest = new WebClient("http://127.0.0.1:" + port);
                keys.forEach(key -> assertThat(guest.get(TestServer.embedPath(key)).statusCode()).isEqualTo(200));

                shards.primary().stop();
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < PER_THREAD * 2; i++) {
                    String body = "Spooled comment " + i + " for " + keys.get(i % 2);
                    var post = guest.post(TestServer.embedPath(keys.get(i % 2)), Map.of("body", body, "name", "Ada"));
                    assertThat(post.statusCode()).as(post.body()).isEqualTo(302);
                    assertThat(post.headers().firstValue("Location").orElseThrow()).contains("/saved?");
                    bodies.add(body);
                }
                assertThat(number(main, "SELECT count(*) FROM main.comment_spool WHERE replayed_at IS NULL"))
                        .isEqualTo(PER_THREAD * 2);

                try (Connection lock = DriverManager.getConnection(mainDb.jdbcUrl(), TestPostgres.user(), "");
                     Connection shardConn = startHolding(lock, shard, shards.primary(), shardDb)) {
                    execute(shardConn, "SELECT 1 FROM " + schema + ".thread WHERE key = '" + keys.get(1) + "' FOR UPDATE");
                    lock.rollback();

                    String inFirst = "SELECT count(*) FROM " + schema + ".comment c JOIN " + schema
                            + ".thread t ON t.id = c.thread_id WHERE t.key = '" + keys.getFirst() + "'";
                    try (Connection reader = shards.primary().connect(shardDb)) {
                        await().atMost(Duration.ofSeconds(30)).until(() -> number(reader, inFirst) == 1);
                    }
                    first.kill();
                    first.waitForExit(Duration.ofSeconds(10));
                    // the comment is on its shard; the spool's mark of it died with the instance
                    assertThat(number(main, "SELECT count(*) FROM main.comment_spool WHERE replayed_at IS NULL"))
                            .isEqualTo(PER_THREAD * 2);
                    shardConn.rollback();
                }

                second = JarProcess.start(dir.resolve("second"), settings);
                second.awaitStdout("Parley is ready", START);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        number(main, "SELECT count(*) FROM main.comment_spool WHERE replayed_at IS NULL") == 0);

                try (Connection reader = shards.primary().connect(shardDb)) {
                    for (String body : bodies) {
                        assertThat(number(reader, "SELECT count(*) FROM " + schema + ".comment WHERE body_source = '"
                                + body + "'")).as(body).isEqualTo(1);
                    }
                    for (String key : keys) {
                        assertThat(number(reader, "SELECT comment_count FROM " + schema + ".thread WHERE key = '"
                                + key + "'")).as("count of " + key).isEqualTo(PER_THREAD);
                    }
                }
                assertThat(number(main, "SELECT count(*) FROM main.comment_spool WHERE outcome = 'approved'"))
                        .isEqualTo(PER_THREAD * 2);
                String page = guest.get(TestServer.standalonePath(keys.getFirst())).body();
                assertThat(page).contains(PER_THREAD + " comments").contains("Spooled comment 0 for");
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    /** Takes the shard's replay lock (so the replay waits), starts the primary, and opens a transaction on it. */
    private static Connection startHolding(Connection lock, int shard, PgServer primary, String database)
            throws Exception {
        lock.setAutoCommit(false);
        execute(lock, "SELECT pg_advisory_xact_lock(hashtext('parley.spool-replay-" + shard + "'))");
        primary.start();
        Connection c = primary.connect(database);
        c.setAutoCommit(false);
        return c;
    }

    /** Two thread keys whose threads live in the same logical shard, so one replay takes both in turn. */
    private static List<String> twoKeysOfOneShard(long siteId) {
        var router = new ShardRouter(8);
        String a = "killed-replay-a";
        for (int i = 0; ; i++) {
            String b = "killed-replay-b" + i;
            if (router.shardOf(siteId, b) == router.shardOf(siteId, a)) {
                return List.of(a, b);
            }
        }
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long number(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
