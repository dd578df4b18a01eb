package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing decisions on replica states set by hand (the monitor's part is ReadReplicasIT's). */
class ReadRouterTest {
    private final MetricRegistry metrics = new MetricRegistry();
    private final Replica first = replica(5433);
    private final Replica second = replica(5434);
    private final ReadRouter router = new ReadRouter("main", List.of(first, second), metrics);

    @Test
    void readsStayOnThePrimaryUntilAReplicaIsKnownUsable() {
        assertThat(router.choose(null)).isNull();
        assertThat(count("parley.reads.main.primary.replicas-unusable")).isEqualTo(1);
    }

    @Test
    void usableReplicasTakeReadsInTurnAndUnusableOnesAreSkipped() {
        first.update(usable("0/100"));
        second.update(usable("0/100"));
        assertThat(List.of(router.choose(null), router.choose(null), router.choose(null), router.choose(null)))
                .containsExactlyInAnyOrder(first, first, second, second);

        second.update(new ReplicaState(ReplicaState.Health.LAGGING, Lsn.parse("0/50"), 80, 60_000, 60_000, "behind"));
        assertThat(List.of(router.choose(null), router.choose(null))).containsOnly(first);
        assertThat(count("parley.reads.main.replica.127_0_0_1_5433")).isEqualTo(4);
        assertThat(count("parley.reads.main.replica.127_0_0_1_5434")).isEqualTo(2);
    }

    @Test
    void aVisitorsReadsGoOnlyWhereTheirWriteHasBeenReplayed() {
        first.update(usable("0/100"));
        second.update(usable("0/200"));
        Lsn written = Lsn.parse("0/180");
        for (int i = 0; i < 4; i++) {
            assertThat(router.choose(written)).isSameAs(second);
        }
        assertThat(router.choose(Lsn.parse("0/201"))).as("nobody has it yet").isNull();
        assertThat(count("parley.reads.main.primary.read-your-writes")).isEqualTo(1);
    }

    @Test
    void aReplicaThatFailsIsSkippedAtOnce() {
        first.update(usable("0/100"));
        second.update(usable("0/100"));
        assertThat(first.failed("connection refused")).as("start of an episode").isTrue();
        assertThat(first.failed("connection refused")).as("same episode").isFalse();
        assertThat(List.of(router.choose(null), router.choose(null))).containsOnly(second);
        assertThat(first.state().replayed()).as("last known position kept").isEqualTo(Lsn.parse("0/100"));
    }

    @Test
    void aRequestsLaterReadsStayOnItsReplicaOrGoToThePrimaryNeverToAnotherReplica() {
        first.update(usable("0/100"));
        second.update(usable("0/300"));

        assertThat(router.stay(first, null)).as("the replica read before").isSameAs(first);
        assertThat(router.stay(first, Lsn.parse("0/200"))).as("it lacks their write; the other replica, which has it,"
                + " may still lack what the first read saw").isNull();
        assertThat(router.stay(null, null)).as("read on the primary before").isNull();
        first.failed("connection refused");
        assertThat(router.stay(first, null)).isNull();
        assertThat(count("parley.reads.main.replica.127_0_0_1_5433")).isEqualTo(1);
        assertThat(count("parley.reads.main.replica.127_0_0_1_5434")).isZero();
        assertThat(count("parley.reads.main.primary.earlier-read")).isEqualTo(3);
    }

    private long count(String name) {
        return metrics.counter(name).getCount();
    }

    private static ReplicaState usable(String replayed) {
        return new ReplicaState(ReplicaState.Health.USABLE, Lsn.parse(replayed), 0, 0, 0, "");
    }

    private static Replica replica(int port) {
        var url = DbUrl.parse("test", "postgresql://127.0.0.1:" + port + "/parley");
        return new Replica(new Databases.Server("main", Databases.Role.REPLICA, url, new HikariDataSource()));
    }
}
