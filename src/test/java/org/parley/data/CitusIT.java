package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.Config;
import org.parley.ParleyServer;
import org.parley.config.StartupException;
import org.parley.testing.CitusCluster;
import org.parley.testing.PgServer;
import org.parley.testing.TestConfig;
import org.parley.testing.TestServer;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parley on a real Citus cluster (a coordinator and two workers, {@link CitusCluster}): the migrations make every
 * logical shard a distributed schema placed on a worker, and keep main on the coordinator; Parley, given only the
 * coordinator's address, writes and reads a shard's rows through it.
 */
class CitusIT {
    private static final int SHARDS = 8;
    private static CitusCluster citus;
    private static String database;
    private static Migrations.Result migrated;

    @BeforeAll
    static void startAndMigrate() {
        citus = CitusCluster.start();
        database = citus.createDatabase();
        try (Databases databases = open()) {
            migrated = Migrations.migrate(databases, shard -> { });
        }
    }

    @AfterAll
    static void stop() {
        if (citus != null) {
            citus.close();
        }
    }

    @Test
    void everyShardIsADistributedSchemaOnAWorkerAndMainStaysOnTheCoordinator() {
        List<String> distributed = column("SELECT schema_name::text FROM citus_schemas ORDER BY 1");
        List<String> expected = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            expected.add(ShardRouter.schemaOf(shard));
        }
        assertThat(distributed).as("main is not distributed: its audit-log trigger could not be").isEqualTo(expected);

        Set<Integer> workerPorts = new HashSet<>();
        citus.workers().forEach(w -> workerPorts.add(w.port()));
        List<String> placements = column("SELECT DISTINCT nodeport::text FROM citus_shards"
                + " WHERE table_name::text LIKE 's0%.comment'");
        assertThat(placements).as("the shards' comment tables live on the workers, spread over both")
                .hasSize(2)
                .allSatisfy(port -> assertThat(workerPorts).contains(Integer.parseInt(port)));
        assertThat(column("SELECT DISTINCT colocation_id::text FROM citus_shards WHERE table_name::text LIKE 's0003.%'"))
                .as("a shard's tables (thread, comment partitions, votes, flyway history …) are placed together")
                .hasSize(1);
        assertThat(column("SELECT count(*)::text FROM pg_dist_partition WHERE logicalrelid::text LIKE 'main.%'"))
                .containsExactly("0");
    }

    @Test
    void theShardMigrationsProduceTheSameConstraintNamesAsOnPostgresql() {
        // V4 and V6 add columns with unnamed CHECKs; on Citus they are named as PostgreSQL would have named them
        assertThat(column("SELECT conname::text FROM pg_constraint WHERE conrelid = 's0005.comment'::regclass"
                + " AND conname IN ('comment_hold_reason_check', 'comment_first_moderated_from_check') ORDER BY 1"))
                .containsExactly("comment_first_moderated_from_check", "comment_hold_reason_check");
        long shardFiles;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("db", "shard"))) {
            shardFiles = files.filter(f -> f.toString().endsWith(".sql")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(migrated.shardsApplied()).isEqualTo(SHARDS * shardFiles);
        try (Databases databases = open()) {
            Migrations.Result again = Migrations.migrate(databases, shard -> { });
            assertThat(again.mainApplied() + again.shardsApplied())
                    .as("a second run validates the same checksums and has nothing to do").isZero();
        }
    }

    @Test
    void aThreadACommentAndAReplyAreWrittenAndReadThroughTheCoordinator() throws SQLException {
        long thread;
        try (Connection c = citus.coordinator().connect(database)) {
            thread = insertReturningId(c, "INSERT INTO s0002.thread (site_id, key, title) VALUES (1, 'citus', 'On Citus')"
                    + " RETURNING id");
            long comment = insertReturningId(c, "INSERT INTO s0002.comment (thread_id, site_id, root_id, path, depth,"
                    + " author_name, author_avatar, body_source, body_html) VALUES (" + thread + ", 1, 0, '', 0, 'Ann',"
                    + " 'a', 'First', '<p>First</p>') RETURNING id");
            c.createStatement().execute("UPDATE s0002.comment SET root_id = id, path = lpad(to_hex(id), 16, '0')"
                    + " WHERE id = " + comment);
            long reply = insertReturningId(c, "INSERT INTO s0002.comment (thread_id, site_id, parent_id, root_id, path,"
                    + " depth, author_name, author_avatar, body_source, body_html) SELECT thread_id, site_id, id, id,"
                    + " path || '.' || lpad(to_hex(s0002.next_id()), 16, '0'), 1, 'Bob', 'b', 'Reply', '<p>Reply</p>'"
                    + " FROM s0002.comment WHERE id = " + comment + " RETURNING id");

            assertThat(Ids.shardOf(thread)).as("next_id() puts the logical shard in the ID").isEqualTo(2);
            assertThat(Ids.shardOf(comment)).isEqualTo(2);
            assertThat(reply).isGreaterThan(comment);
            List<String> read = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT author_name, body_html, depth FROM s0002.comment"
                    + " WHERE thread_id = ? ORDER BY path")) {
                s.setLong(1, thread);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        read.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3));
                    }
                }
            }
            assertThat(read).containsExactly("Ann <p>First</p> 0", "Bob <p>Reply</p> 1");
        }
        String shardId = column("SELECT shardid::text FROM citus_shards WHERE table_name::text = 's0002.comment'")
                .getFirst();
        assertThat(workerHolding("s0002").queryText(database, "SELECT count(*) FROM s0002.comment_" + shardId
                + " WHERE thread_id = " + thread)).as("the rows live on the worker holding the schema").isEqualTo("2");
    }

    /** A shard copied in from plain PostgreSQL arrives as an ordinary schema, with its rows and Flyway history. */
    @Test
    void aPlainSchemaWithRowsIsDistributedInPlace() throws SQLException {
        String other = citus.createDatabase();
        PgServer coordinator = citus.coordinator();
        coordinator.execute(other, "SET citus.enable_schema_based_sharding TO off; CREATE SCHEMA s0009;"
                + " CREATE TABLE s0009.thread (id bigint PRIMARY KEY, key text CONSTRAINT thread_key_check CHECK (key <> ''));"
                + " INSERT INTO s0009.thread VALUES (1, 'copied')");
        var db = new PGSimpleDataSource();
        db.setUrl(citus.url(other).jdbcUrl());
        db.setUser(PgServer.USER);

        Citus.distributeSchema(db, "s0009");
        Citus.distributeSchema(db, "s0009"); // a second run finds it distributed and leaves it

        assertThat(coordinator.queryText(other, "SELECT count(*) FROM citus_schemas WHERE schema_name::text = 's0009'"))
                .isEqualTo("1");
        assertThat(coordinator.queryText(other, "SELECT key FROM s0009.thread WHERE id = 1")).isEqualTo("copied");
    }

    @Test
    void parleyStartsOnTheCoordinatorAndAGuestPostsAComment() {
        try (TestServer server = TestServer.startOn(citus.url(database), Map.of("PARLEY_SHARDS", Integer.toString(SHARDS)))) {
            var guest = server.client();
            String page = TestServer.embedPath("citus-post");
            assertThat(guest.get(page).statusCode()).isEqualTo(200);
            HttpResponse<String> posted = guest.post(page, Map.of("name", "Grace", "body", "Hello *Citus*"));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
            assertThat(guest.follow(posted).body()).contains("Grace", "Hello <em>Citus</em>", "1 comment");
        }
    }

    /**
     * The thread page's SQL budget holds on Citus as on PostgreSQL: with every cache off, the site, the thread and
     * its comments — three statements through the coordinator, whether the thread has 5 comments or 200.
     */
    @Test
    void aThreadPageCostsThreeStatementsThroughTheCoordinatorFor5And200Comments() {
        try (TestServer server = TestServer.startOn(citus.url(database), Map.of("PARLEY_SHARDS",
                Integer.toString(SHARDS), "PARLEY_CACHE", "off"))) {
            for (int comments : new int[]{5, 200}) {
                var thread = server.thread("budget-" + comments);
                for (int i = 0; i < comments; i++) {
                    server.post(thread, null, "comment " + i);
                }
                HttpResponse<String> page = server.client().get(TestServer.standalonePath(thread.key()));
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains(comments + " comments");
                assertThat(page.headers().firstValue("X-Parley-Sql-Count")).as("%d comments", comments)
                        .contains("3");
            }
        }
    }

    /**
     * Posts that meet on one thread are committed together, each in a savepoint (discussion.GroupCommit): Citus
     * carries savepoints to the worker that holds the schema, so every post lands and the count is exact.
     */
    @Test
    void postsCommittedTogetherLandThroughTheCoordinator() throws Exception {
        try (TestServer server = TestServer.startOn(citus.url(database), Map.of("PARLEY_SHARDS", Integer.toString(SHARDS)));
             var writers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var thread = server.thread("citus-together");
            var start = new java.util.concurrent.CountDownLatch(1);
            var work = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int w = 0; w < 16; w++) {
                int writer = w;
                work.add(writers.submit(() -> {
                    start.await();
                    for (int i = 0; i < 8; i++) {
                        server.post(thread, null, "writer " + writer + " comment " + i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var f : work) {
                f.get();
            }
            String schema = String.format("s%04d", thread.shard());
            assertThat(citus.coordinator().queryText(database, "SELECT count(*) || ' ' || (count(DISTINCT created_at) < count(*))"
                    + " FROM " + schema + ".comment WHERE thread_id = " + thread.id()))
                    .as("comments stored, and whether some shared a transaction").isEqualTo("128 true");
            assertThat(citus.coordinator().queryText(database, "SELECT comment_count FROM " + schema + ".thread WHERE id = "
                    + thread.id())).isEqualTo("128");
        }
    }

    /** Counter repairs read and write a distributed schema through the coordinator as they do a plain one. */
    @Test
    void reconciliationRepairsADriftedCounterThroughTheCoordinator() {
        try (TestServer server = TestServer.startOn(citus.url(database), Map.of("PARLEY_SHARDS", Integer.toString(SHARDS)))) {
            var thread = server.thread("citus-reconcile");
            for (int i = 0; i < 3; i++) {
                server.post(thread, null, "counted " + i);
            }
            String schema = String.format("s%04d", thread.shard());
            citus.coordinator().execute(database, "UPDATE " + schema + ".thread SET comment_count = 99 WHERE id = " + thread.id());

            var result = new org.parley.discussion.CounterReconciliation(server.parley().databases(), 100, false,
                    (threadId, version) -> { }).run(thread.shard());

            assertThat(result.fixes()).as("the drifted counter, found and repaired")
                    .anySatisfy(fix -> assertThat(fix.was()).isEqualTo(99));
            assertThat(citus.coordinator().queryText(database, "SELECT comment_count FROM " + schema + ".thread WHERE id = "
                    + thread.id())).isEqualTo("3");
        }
    }

    /** Detected, not promised: the refusal comes at start, from the server's answer (PARLEY_DB_ENGINE=auto). */
    @Test
    void streamingReplicasOfACitusCoordinatorAreRefusedAtStartWithTheReason() {
        Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(citus.url(database), SHARDS));
        // any reachable server: the refusal comes before a replica is ever asked anything
        settings.put("PARLEY_DB_REPLICAS", citus.workers().getFirst().url(database).jdbcUrl());
        assertThatThrownBy(() -> ParleyServer.start(TestConfig.load(settings)).close())
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("Streaming replicas (PARLEY_DB_REPLICAS, PARLEY_CLUSTER_<NAME>_REPLICAS) are"
                        + " not used with Citus (cluster main is a Citus coordinator, PARLEY_DB_ENGINE=auto): ")
                .hasMessageContaining("Remove the replicas setting");
    }

    @Test
    void engineCitusRefusesADatabaseWithoutTheExtensionAndSaysWhatToDo() {
        String plain = "plain" + ProcessHandle.current().pid();
        citus.coordinator().execute("postgres", "CREATE DATABASE " + plain);
        try (Databases databases = open(plain)) {
            assertThatThrownBy(() -> Migrations.migrate(databases, DbEngine.CITUS, shard -> { }))
                    .isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("PARLEY_DB_ENGINE=citus, but the main primary (")
                    .hasMessageEndingWith(plain + ") has no citus extension: run CREATE EXTENSION citus in that"
                            + " database (the server needs shared_preload_libraries=citus) and add the workers with"
                            + " citus_add_node, or set PARLEY_DB_ENGINE=auto to use plain PostgreSQL there.");
            assertThat(DbEngine.AUTO.citus(databases, ClusterConfig.MAIN)).isFalse();
        }
        assertThat(citus.coordinator().queryText(plain, "SELECT to_regnamespace('main') IS NULL"))
                .as("refused before anything was created").isEqualTo("t");
    }

    @Test
    void enginePostgresOnACitusServerKeepsEveryShardAnOrdinarySchema() {
        String other = citus.createDatabase();
        try (Databases databases = open(other)) {
            Migrations.migrate(databases, DbEngine.POSTGRES, shard -> { });
            assertThat(DbEngine.CITUS.citus(databases, ClusterConfig.MAIN)).isTrue();
        }
        PgServer coordinator = citus.coordinator();
        assertThat(coordinator.queryText(other, "SELECT count(*) FROM citus_schemas")).isEqualTo("0");
        assertThat(coordinator.queryText(other, "SELECT count(*) FROM pg_dist_partition")).isEqualTo("0");
        assertThat(coordinator.queryText(other, "SELECT to_regclass('s0007.comment') IS NOT NULL"))
                .as("the shard tables are plain tables of the coordinator").isEqualTo("t");
    }

    private static Databases open() {
        return open(database);
    }

    private static Databases open(String db) {
        Config config = TestConfig.load(TestConfig.settingsFor(citus.url(db), SHARDS));
        return Databases.open(config.clusters(), config.shardMap(), config.connectTimeout(), new MetricRegistry());
    }

    private static long insertReturningId(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> column(String sql) {
        return citus.coordinator().queryColumn(database, sql);
    }

    private static PgServer workerHolding(String schema) {
        return citus.workerHolding(database, schema);
    }
}
