package org.parley.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.discussion.ReconcileSchedule;
import org.parley.discussion.ThreadVersions;
import org.parley.moderation.Moderators;
import org.parley.testing.PgBouncerProcess;
import org.parley.testing.TestPostgres;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parley behind a real PgBouncer in transaction pooling mode, set up exactly as docs/scale-out.md says: migrations
 * run against PostgreSQL directly, Parley serves through PgBouncer with {@code prepareThreshold=0} and
 * {@code PARLEY_MIGRATE_ON_START=false}. Its pool of 10 connections shares 3 server connections, so consecutive
 * transactions of one Parley connection really land on different server connections: the traps of session state
 * (server-side prepared statements, session advisory locks) would show. Guests post concurrently and read the
 * page many times over (more than pgjdbc's 5 runs before it would name a prepared statement), a moderator
 * approves a held comment, and the jobs that take advisory locks (counter reconciliation, partition maintenance)
 * run twice each.
 */
class PgBouncerIT {
    private static final int SERVER_CONNECTIONS = 3;
    private static DbUrl database;
    private static PgBouncerProcess bouncer;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        TestPostgres postgres = TestPostgres.shared();
        database = postgres.newDatabase();
        // `parley migrate` against PostgreSQL itself: a Parley started on it directly migrates it, then stops
        TestServer.start(Map.of("PARLEY_DB_URL", database.jdbcUrl())).close();
        awaitNoServerConnections();
        bouncer = PgBouncerProcess.start(postgres.port(), database.database(), TestPostgres.user(), SERVER_CONNECTIONS);
        server = TestServer.start(Map.of(
                "PARLEY_DB_URL", "postgresql://127.0.0.1:" + bouncer.port() + "/" + database.database() + "?prepareThreshold=0",
                "PARLEY_MIGRATE_ON_START", "false",
                "PARLEY_DB_POOL_SIZE", "10",
                "PARLEY_DB_CONNECT_TIMEOUT_MS", "5000"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @Test
    void postingReadingModerationAndTheLockedJobsWorkThroughTransactionPooling() throws Exception {
        server.thread("pooled");
        String page = TestServer.standalonePath("pooled");
        int posts = 40;
        List<Callable<Integer>> writers = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            String body = "Pooled comment number " + i;
            writers.add(() -> {
                WebClient guest = server.client();
                guest.get(page);
                return guest.post(page, Map.of("name", "Guest", "body", body)).statusCode();
            });
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (Future<Integer> posted : pool.invokeAll(writers)) {
                assertThat(posted.get()).as("a guest's post, answered\n" + bouncer.log()).isEqualTo(302);
            }
        }
        for (int read = 0; read < 20; read++) {
            HttpResponse<String> shown = server.client().get(page + "?sort=newest&r=" + read);
            assertThat(shown.statusCode()).as("read " + read + ":\n" + shown.body()).isEqualTo(200);
            assertThat(shown.body()).contains(posts + " comments", "Pooled comment number 0", "Pooled comment number 39");
        }
        assertThat(serverConnections()).as("Parley's connections went through PgBouncer's few")
                .isBetween(1, SERVER_CONNECTIONS);

        // a moderator approves a comment the site held
        var main = server.parley().databases().main();
        long mod = new AccountRepository(main).create("pooled-mod@example.com", "Mod", Passwords.hash(TestServer.PASSWORD))
                .orElseThrow();
        new Moderators(main).add(server.site().id(), mod);
        server.mainSql("UPDATE main.site SET premoderation = true");
        HttpResponse<String> held = server.client().post(page, Map.of("name", "Guest", "body", "Held for a moderator"));
        assertThat(held.statusCode()).isEqualTo(302);
        server.mainSql("UPDATE main.site SET premoderation = false");
        WebClient moderator = server.signedIn("pooled-mod@example.com");
        String queue = moderator.get("/admin/queue?queue=pending").body();
        Matcher pending = Pattern.compile("<li id=\"comment-(\\d+)\" class=\"queue-item\"").matcher(queue);
        assertThat(pending.find()).as("the held comment in the queue:\n" + queue).isTrue();
        HttpResponse<String> approved = moderator.post("/admin/comments/" + pending.group(1) + "/approve",
                Map.of("expected", "pending", "return", "/admin/queue?queue=pending"));
        assertThat(approved.statusCode()).isEqualTo(302);
        assertThat(server.client().get(page + "?sort=newest").body()).contains("Held for a moderator", (posts + 1) + " comments");

        // the jobs that take advisory locks: each runs, and a second round is not locked out by the first
        var schedule = new ReconcileSchedule(server.parley().databases(), new ThreadVersions(server.parley().cache()));
        assertThat(schedule.runIfDue()).isEqualTo(ReconcileSchedule.Outcome.RAN);
        assertThat(schedule.runIfDue()).as("due once a day; not BUSY, which a lock left behind would give")
                .isEqualTo(ReconcileSchedule.Outcome.NOT_DUE);
        main.execute("DELETE FROM main.setting WHERE key = 'reconcile_last_run'");
        assertThat(schedule.runIfDue()).isEqualTo(ReconcileSchedule.Outcome.RAN);
        var maintenance = new PartitionMaintenance(server.parley().databases(),
                new HistoricalPartitions(12, java.util.Optional.empty(), java.time.Clock.systemUTC()));
        maintenance.runOnce();
        maintenance.runOnce();
    }

    /** A backend outlives its closed client for a moment: the migrating Parley's must not be counted as PgBouncer's. */
    private static void awaitNoServerConnections() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (serverConnections() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the migrating Parley's connections stayed open");
            }
            Thread.sleep(50);
        }
    }

    /**
     * The server connections to the test database that PostgreSQL sees right now (PgBouncer's, at most its pool).
     * Only client backends: an autovacuum worker busy in the same database shows in pg_stat_activity too.
     */
    private static int serverConnections() throws Exception {
        String direct = "jdbc:postgresql://127.0.0.1:" + TestPostgres.shared().port() + "/postgres";
        try (Connection c = DriverManager.getConnection(direct, TestPostgres.user(), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE backend_type = 'client backend' AND datname = '" + database.database() + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
