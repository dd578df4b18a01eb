package org.parley.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.discussion.CommentThread;
import org.parley.testing.TestServer;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.data.PartitionRows.addTopLevel;
import static org.parley.data.PartitionRows.assumedRows;
import static org.parley.data.PartitionRows.hotPartitionOf;
import static org.parley.data.PartitionRows.single;

/**
 * A comment partition is analysed again once as many rows have been written to it as it held when last analysed,
 * on real PostgreSQL, and not before. The instance under test runs the same job on its own schedule: the assertions
 * read what PostgreSQL recorded (how many analyses, how many rows it now assumes), whichever of the two ran it.
 */
class PartitionStatisticsIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void aPartitionIsAnalysedOnceItHasDoubledSinceItsLastAnalysisAndNotBefore() throws Exception {
        CommentThread thread = server.thread("statistics-grown");
        String schema = ShardRouter.schemaOf(thread.shard());
        String partition = schema + "." + hotPartitionOf(thread);
        var statistics = new PartitionStatistics(server.parley().databases());
        try (Connection c = server.parley().databases().primaryOf("main").getConnection();
             Statement s = c.createStatement()) {
            // autovacuum's analyses would race the job's: this test is about the job alone
            s.execute("ALTER TABLE " + partition + " SET (autovacuum_enabled = false)");
            addTopLevel(s, schema, thread.id(), 1, 2_000);
            flushCounts(s); // or they could arrive after the analysis and count as written since
            s.execute("ANALYZE " + partition);
            long analyses = analyses(s, partition);

            statistics.runOnce();
            assertThat(analyses(s, partition)).as("nothing written since it was analysed").isEqualTo(analyses);

            addTopLevel(s, schema, thread.id(), 2_001, 3_500);
            flushCounts(s);
            await().atMost(Duration.ofSeconds(10)).until(() -> changesSinceAnalysis(s, partition) >= 1_500);
            statistics.runOnce();
            assertThat(analyses(s, partition)).as("1 500 rows written onto 2 000").isEqualTo(analyses);

            addTopLevel(s, schema, thread.id(), 3_501, 4_100);
            flushCounts(s);
            // the instance's own run may get there first; either way the partition is analysed, and once
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                statistics.runOnce();
                return analyses(s, partition) > analyses;
            });
            assertThat(analyses(s, partition)).as("2 100 rows written onto 2 000").isEqualTo(analyses + 1);
            assertThat(assumedRows(s, partition)).isEqualTo(4_100);
            statistics.runOnce();
            assertThat(analyses(s, partition)).as("analysed once for that growth").isEqualTo(analyses + 1);
        }
    }

    /** This session's counts of rows written reach PostgreSQL's statistics at the end of this statement. */
    private static void flushCounts(Statement s) throws Exception {
        s.execute("SELECT pg_stat_force_next_flush()");
    }

    private static long analyses(Statement s, String partition) throws Exception {
        return single(s, "SELECT analyze_count FROM pg_stat_user_tables WHERE relid = '" + partition + "'::regclass");
    }

    private static long changesSinceAnalysis(Statement s, String partition) throws Exception {
        return single(s, "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relid = '" + partition + "'::regclass");
    }
}
