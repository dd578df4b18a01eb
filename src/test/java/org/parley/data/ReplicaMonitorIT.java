package org.parley.data;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.testing.PgCluster;
import org.parley.testing.PgServer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitor and the router against a real replica that applies commits {@link #DELAY} late, with a lag limit
 * of {@link #MAX_LAG}, read through the metrics an operator sees. The test drives the polls itself.
 */
class ReplicaMonitorIT {
    private static final Duration DELAY = Duration.ofSeconds(3);
    private static final Duration MAX_LAG = Duration.ofSeconds(1);
    private static PgCluster pg;
    private static PgServer replica;
    private static Databases databases;
    private static ReplicaMonitor monitor;
    private static MetricRegistry metrics;
    private static String gauges;
    private static String db;

    @BeforeAll
    static void start() {
        pg = PgCluster.start();
        db = pg.createDatabase();
        pg.primary().execute(db, "CREATE TABLE note (id int PRIMARY KEY)");
        replica = pg.addReplica();
        pg.awaitReplay(replica, Duration.ofSeconds(30));
        PgCluster.setApplyDelay(replica, DELAY);
        metrics = new MetricRegistry();
        var cluster = new ClusterConfig(ClusterConfig.MAIN, pg.url(db), List.of(replica.url(db)), PgServer.USER, "", 2);
        databases = Databases.open(List.of(cluster), ShardMap.allOn(ClusterConfig.MAIN, 1), Duration.ofSeconds(2),
                metrics);
        monitor = new ReplicaMonitor(databases, new ReplicaPolicy(MAX_LAG, Duration.ofMillis(100)), metrics);
        gauges = "parley.replica.main.127_0_0_1_" + replica.port();
    }

    @AfterAll
    static void stop() {
        monitor.close();
        databases.close();
        pg.close();
    }

    @AfterEach
    void caughtUp() {
        ReadYourWrites.end();
        await().atMost(DELAY.multipliedBy(5)).until(() -> polled().usable() && gauge("lag-bytes") == 0);
    }

    @Test
    void anIdlePrimaryDoesNotMakeACaughtUpReplicaLag() {
        // nothing is written: the last replayed commit ages, but the replica has everything the primary has
        await().atMost(Duration.ofSeconds(20)).until(() -> polled().replayAgeMillis() > 2 * MAX_LAG.toMillis());

        assertThat(gauge("usable")).isEqualTo(1);
        assertThat(gauge("lag-ms")).isZero();
        assertThat(gauge("lag-bytes")).isZero();
    }

    @Test
    void aReplicaBeyondTheLagLimitIsSkippedAndServesAgainOnceCaughtUp() {
        pg.primary().execute(db, "INSERT INTO note VALUES (100)"); // a commit the replica applies only after DELAY
        long unusableBefore = count("parley.reads.main.primary.replicas-unusable");

        await().atMost(Duration.ofSeconds(20)).until(() -> polled().health() == ReplicaState.Health.LAGGING);
        assertThat(gauge("usable")).isZero();
        assertThat(gauge("lag-ms")).isGreaterThan(MAX_LAG.toMillis());
        assertThat(gauge("lag-bytes")).isPositive();
        assertThat(databases.read(0).fetchValue("SELECT pg_is_in_recovery()")).as("served by the primary").isEqualTo(false);
        assertThat(count("parley.reads.main.primary.replicas-unusable")).isEqualTo(unusableBefore + 1);

        await().atMost(DELAY.multipliedBy(5)).until(() -> polled().usable());
        long replicaBefore = count("parley.reads.main.replica.127_0_0_1_" + replica.port());
        assertThat(databases.read(0).fetchValue("SELECT pg_is_in_recovery()")).as("served by the replica").isEqualTo(true);
        assertThat(count("parley.reads.main.replica.127_0_0_1_" + replica.port())).isEqualTo(replicaBefore + 1);
    }

    @Test
    void aWritersReadsGoToThePrimaryUntilTheReplicaHasReplayedTheirWrite() {
        await().atMost(Duration.ofSeconds(20)).until(() -> polled().usable());
        AtomicReference<Map<String, Lsn>> cookie = new AtomicReference<>();
        ReadYourWrites.begin(Map.of(), cookie::set);
        long positionsBefore = count("parley.writes.main.positions");

        databases.write(0).execute("INSERT INTO note VALUES (1)");
        Lsn written = cookie.get().get(ClusterConfig.MAIN);
        assertThat(written).as("position handed to the web layer").isNotNull();
        assertThat(count("parley.writes.main.positions")).isEqualTo(positionsBefore + 1);

        long rywBefore = count("parley.reads.main.primary.read-your-writes");
        assertThat(databases.read(0).fetchValue("SELECT count(*) FROM note WHERE id = 1")).isEqualTo(1L);
        assertThat(count("parley.reads.main.primary.read-your-writes")).isEqualTo(rywBefore + 1);

        await().atMost(DELAY.multipliedBy(5)).until(() -> polled().hasReplayed(written));
        assertThat(databases.read(0).fetchValue("SELECT pg_is_in_recovery()"))
                .as("the same request stays on the primary it read from").isEqualTo(false);
        ReadYourWrites.end();
        ReadYourWrites.begin(Map.of(ClusterConfig.MAIN, written), cookie::set); // their next request, with the cookie
        assertThat(databases.read(0).fetchValue("SELECT pg_is_in_recovery()")).as("now the replica has it").isEqualTo(true);
        assertThat(databases.read(0).fetchValue("SELECT count(*) FROM note WHERE id = 1")).isEqualTo(1L);
    }

    private static ReplicaState polled() {
        monitor.pollOnce();
        return databases.replicas().getFirst().state();
    }

    private static long gauge(String name) {
        Gauge<?> gauge = metrics.getGauges().get(gauges + "." + name);
        return ((Number) gauge.getValue()).longValue();
    }

    private static long count(String name) {
        return metrics.counter(name).getCount();
    }
}
