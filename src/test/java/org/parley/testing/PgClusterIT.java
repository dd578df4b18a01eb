package org.parley.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The test helper itself: a delayed streaming replica really lags, catches up, and survives a restart. */
class PgClusterIT {
    private static final Duration DELAY = Duration.ofSeconds(2);
    private static PgCluster pg;
    private static PgServer replica;
    private static String db;

    @BeforeAll
    static void start() {
        pg = PgCluster.start();
        db = pg.createDatabase();
        pg.primary().execute(db, "CREATE TABLE note (id int PRIMARY KEY)");
        replica = pg.addReplica(DELAY);
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void aDelayedReplicaShowsACommitOnlyAfterItsDelay() {
        assertThat(replica.queryText(db, "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
        pg.primary().execute(db, "INSERT INTO note VALUES (1)");
        assertThat(replica.queryText(db, "SELECT count(*) FROM note")).as("not applied yet").isEqualTo("0");
        pg.awaitReplay(replica, Duration.ofSeconds(20));
        assertThat(replica.queryText(db, "SELECT count(*) FROM note")).isEqualTo("1");
    }

    @Test
    void aStoppedReplicaCatchesUpWhenStartedAgain() {
        long pid = replica.pid();
        replica.stop();
        assertThat(replica.running()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        pg.primary().execute(db, "INSERT INTO note VALUES (2)");
        replica.start();
        PgCluster.setApplyDelay(replica, Duration.ZERO);
        pg.awaitReplay(replica, Duration.ofSeconds(20));
        assertThat(replica.queryText(db, "SELECT count(*) FROM note WHERE id = 2")).isEqualTo("1");
        PgCluster.setApplyDelay(replica, DELAY);
    }
}
