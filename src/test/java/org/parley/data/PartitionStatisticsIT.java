package org.parley.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.discussion.CommentThread;
import org.parley.testing.TestServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A comment partition that has doubled since it was last analysed is analysed again, on real PostgreSQL, and one
 * that has not is left alone. The instance under test runs the same job on its own schedule: the assertions read
 * what PostgreSQL recorded (how many analyses, how many rows it now assumes), whichever of the two ran it.
 */
class PartitionStatisticsIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void aPartitionThatDoubledSinceItsLastAnalysisIsAnalysedAndOneThatDidNotIsLeftAlone() throws Exception {
        CommentThread thread = server.thread("statistics-grown");
        String partition = ShardRouter.schemaOf(thread.shard()) + "." + QueryPlansIT.hotPartitionOf(thread);
        var statistics = new PartitionStatistics(server.parley().databases());
        try (Connection c = server.parley().databases().primaryOf("main").getConnection();
             Statement s = c.createStatement()) {
            // autovacuum's analyses would race the job's: this test is about the job alone
            s.execute("ALTER TABLE " + partition + " SET (autovacuum_enabled = false)");
            QueryPlansIT.addTopLevel(s, ShardRouter.schemaOf(thread.shard()), thread.id(), 1, 2_000);
            s.execute("ANALYZE " + partition);
            long analyses = analyses(s, partition);

            statistics.runOnce();
            assertThat(analyses(s, partition)).as("nothing written since it was analysed").isEqualTo(analyses);

            QueryPlansIT.addTopLevel(s, ShardRouter.schemaOf(thread.shard()), thread.id(), 2_001, 4_500);
            s.execute("SELECT pg_stat_force_next_flush()"); // this session's counts reach the statistics now
            // the instance's own run may get there first; either way the partition is analysed once
            await().atMost(Duration.ofSeconds(10)).until(() -> changesSinceAnalysis(s, partition) >= 2_500
                    || analyses(s, partition) > analyses);
            statistics.runOnce();

            assertThat(analyses(s, partition)).as("2 500 rows written onto 2 000").isEqualTo(analyses + 1);
            assertThat(assumedRows(s, partition)).isEqualTo(4_500);
            statistics.runOnce();
            assertThat(analyses(s, partition)).as("analysed once for that growth").isEqualTo(analyses + 1);
        }
    }

    private static long analyses(Statement s, String partition) throws Exception {
        return single(s, "SELECT analyze_count FROM pg_stat_user_tables WHERE relid = '"
                + partition + "'::regclass");
    }

    private static long changesSinceAnalysis(Statement s, String partition) throws Exception {
        return single(s, "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relid = '" + partition + "'::regclass");
    }

    private static long assumedRows(Statement s, String partition) throws Exception {
        return single(s, "SELECT reltuples::bigint FROM pg_class WHERE oid = '" + partition + "'::regclass");
    }

    private static long single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
