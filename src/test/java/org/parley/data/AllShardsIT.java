package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import org.jooq.Condition;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.Config;
import org.parley.data.AllShards.Order;
import org.parley.data.AllShards.Source;
import org.parley.testing.PgCluster;
import org.parley.testing.PgServer;
import org.parley.testing.TestConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.parley.db.shard.Tables.THREAD;

/**
 * The cross-shard read primitive on two physical primaries ({@code 0-3:main,4-7:db2}), the main one with a
 * streaming replica: one statement per physical database, pages merged by ID in both orders and cut to the limit
 * (compared with every shard read one by one), the clusters read at the same time but no more at once than the
 * bound, replicas only when asked and only as the request's routing allows, and a failing shard that names itself.
 */
class AllShardsIT {
    private static final int SHARDS = 8;
    private static final int THREADS = 43; // not a multiple of the page size nor of the shard count
    private static PgCluster main;
    private static PgCluster db2;
    private static String db2Db;
    private static Databases databases;
    private static ReplicaMonitor monitor;
    private static AllShards allShards;

    @BeforeAll
    static void start() {
        main = PgCluster.start();
        db2 = PgCluster.start();
        String mainDb = main.createDatabase();
        db2Db = db2.createDatabase();
        PgServer replica = main.addReplica();
        Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(main.url(mainDb), SHARDS));
        settings.put("PARLEY_DB_REPLICAS", main.replicaUrls(mainDb));
        settings.put("PARLEY_CLUSTER_DB2_URL", db2.url(db2Db).jdbcUrl());
        settings.put("PARLEY_SHARD_MAP", "0-3:main,4-7:db2");
        Config config = TestConfig.load(settings);
        MetricRegistry metrics = new MetricRegistry();
        databases = Databases.open(config.clusters(), config.shardMap(), config.connectTimeout(), metrics);
        Migrations.migrate(databases, shard -> { });
        for (int i = 0; i < THREADS; i++) {
            databases.write(i % SHARDS).insertInto(THREAD).set(THREAD.SITE_ID, 1L).set(THREAD.KEY, "t" + i).execute();
        }
        main.awaitReplay(replica, Duration.ofSeconds(30));
        monitor = new ReplicaMonitor(databases, new ReplicaPolicy(Duration.ofSeconds(30), Duration.ofMillis(100)),
                metrics).start();
        allShards = new AllShards(databases);
    }

    @AfterAll
    static void stop() {
        if (monitor != null) {
            monitor.close();
        }
        if (databases != null) {
            databases.close();
        }
        if (db2 != null) {
            db2.close();
        }
        if (main != null) {
            main.close();
        }
    }

    @AfterEach
    void endScopes() {
        QueryStats.end();
        ReadYourWrites.end();
    }

    @Test
    void pagesMergeEveryShardByIdInBothOrdersAtOneStatementPerDatabase() {
        List<Long> all = everyThreadIdOneShardAtATime();
        assertThat(all).hasSize(THREADS);
        for (Order order : Order.values()) {
            List<Long> expected = new ArrayList<>(all);
            expected.sort(order == Order.NEWEST_FIRST ? Comparator.reverseOrder() : Comparator.naturalOrder());
            List<Long> walked = new ArrayList<>();
            Long after = null;
            int pages = 0;
            do {
                QueryStats stats = QueryStats.begin();
                AllShards.Page<Long> page = threadIds(order, 10, after);
                QueryStats.end();
                assertThat(stats.count()).as("one statement per physical database").isEqualTo(2);
                assertThat(stats.perTarget()).containsOnlyKeys("s0000/primary", "s0004/primary");
                assertThat(page.items()).hasSizeLessThanOrEqualTo(10);
                walked.addAll(page.items());
                after = page.next();
                if (after != null) {
                    assertThat(page.items()).hasSize(10).last().isEqualTo(after);
                }
                pages++;
            } while (after != null);
            assertThat(walked).as(order.name()).containsExactlyElementsOf(expected);
            assertThat(pages).isEqualTo(5);
        }
    }

    @Test
    void combinedFoldsEveryClusterAndEachKeepsClusterOrder() {
        assertThat(allShards.each(Source.PRIMARY, cluster -> cluster.name() + ":" + cluster.shards()))
                .containsExactly("db2:[4, 5, 6, 7]", "main:[0, 1, 2, 3]");
        assertThat(allShards.combined(Source.PRIMARY, AllShardsIT::countThreads, Integer::sum)).isEqualTo(THREADS);
    }

    @Test
    void theClustersAreReadAtTheSameTimeButNoMoreAtOnceThanTheBound() {
        // each cluster's read waits until both have started: only reads that run at the same time both see it
        CountDownLatch bothStarted = new CountDownLatch(2);
        assertThat(allShards.each(Source.PRIMARY, cluster -> meet(bothStarted, 10))).containsExactly(true, true);

        CountDownLatch oneAtATime = new CountDownLatch(2);
        assertThat(new AllShards(databases, 1).each(Source.PRIMARY, cluster -> meet(oneAtATime, 1)))
                .containsExactlyInAnyOrder(false, true);
    }

    @Test
    void replicasAnswerOnlyWhenAskedAndOnlyWhereTheRequestMayReadThem() {
        await().atMost(Duration.ofSeconds(20)).until(() -> databases.replicas().getFirst().state().usable());

        assertThat(targetsOf(Source.PRIMARY)).containsOnlyKeys("s0000/primary", "s0004/primary");
        // db2 has no replica: its cluster is read on its primary
        assertThat(targetsOf(Source.REPLICA)).containsOnlyKeys("s0000/replica", "s0004/primary");

        // a request that writes reads only primaries; the workers read under the request's scope
        ReadYourWrites.begin(Map.of(), positions -> { }, true);
        assertThat(targetsOf(Source.REPLICA)).containsOnlyKeys("s0000/primary", "s0004/primary");
    }

    @Test
    void aFailingShardNamesItselfItsClusterAndTheShardsOfTheStatement() {
        db2.primary().execute(db2Db, "ALTER TABLE s0005.thread RENAME TO thread_away");
        try {
            assertThatThrownBy(() -> threadIds(Order.NEWEST_FIRST, 10, null))
                    .isInstanceOfSatisfying(ShardReadException.class, e -> {
                        assertThat(e.cluster()).isEqualTo("db2");
                        assertThat(e.source()).isEqualTo(Source.PRIMARY);
                        assertThat(e.shards()).containsExactly(4, 5, 6, 7);
                    })
                    .hasMessageStartingWith("Reading logical shards s0004-s0007 on cluster db2 (primary) failed: ")
                    .hasMessageContaining("relation \"s0005.thread\" does not exist");
        } finally {
            db2.primary().execute(db2Db, "ALTER TABLE s0005.thread_away RENAME TO thread");
        }
        assertThat(threadIds(Order.NEWEST_FIRST, 10, null).items()).hasSize(10);
    }

    private static AllShards.Page<Long> threadIds(Order order, int limit, Long after) {
        return allShards.page(Source.PRIMARY, order, limit,
                cluster -> cluster.firstById(shard -> idsOf(shard, order, limit + 1, after), THREAD.ID, order,
                        limit + 1).fetch(Record1::value1),
                Long::longValue);
    }

    private static Select<Record1<Long>> idsOf(int shard, Order order, int limit, Long after) {
        var t = ShardTables.thread(shard).as("t");
        Condition from = after == null ? DSL.noCondition()
                : order == Order.NEWEST_FIRST ? t.ID.lt(after) : t.ID.gt(after);
        return DSL.select(t.ID).from(t).where(from).orderBy(order.of(t.ID)).limit(limit);
    }

    private static int countThreads(AllShards.Cluster cluster) {
        var all = cluster.unionAll(shard -> idsOf(shard, Order.OLDEST_FIRST, THREADS, null)).asTable("all");
        return cluster.dsl().fetchCount(all);
    }

    /** The reference answer: each logical shard asked on its own. */
    private static List<Long> everyThreadIdOneShardAtATime() {
        List<Long> ids = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            ids.addAll(databases.write(shard).select(THREAD.ID).from(THREAD).fetch(THREAD.ID));
        }
        return ids;
    }

    private static Map<String, Long> targetsOf(Source source) {
        QueryStats stats = QueryStats.begin();
        try {
            assertThat(allShards.combined(source, AllShardsIT::countThreads, Integer::sum)).isEqualTo(THREADS);
            return stats.perTarget();
        } finally {
            QueryStats.end();
        }
    }

    private static boolean meet(CountDownLatch latch, int seconds) {
        latch.countDown();
        try {
            return latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
