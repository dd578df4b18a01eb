package org.parley.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Partition maintenance moves historical comment partitions — and their indexes — to the historical tablespace
 * (PARLEY_HISTORICAL_TABLESPACE), once; active partitions stay, and the moved rows read as before.
 */
class HistoricalTablespaceIT {
    private static TestServer server;
    private static String tablespace;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        tablespace = "parley_cold_" + ProcessHandle.current().pid();
        Path location = Files.createTempDirectory("parley-cold");
        // tablespaces belong to the whole server (the shared test PostgreSQL), hence a name of our own
        sql("CREATE TABLESPACE " + tablespace + " LOCATION '" + location + "'");
        // one shard as a cluster that has run since 2024 would have it: a partition per month
        String s = ShardRouter.schemaOf(0);
        sql("ALTER TABLE " + s + ".comment DETACH PARTITION " + s + ".comment_p000000");
        sql("DROP TABLE " + s + ".comment_p000000");
        sql("CREATE TABLE " + s + ".comment_p000000 PARTITION OF " + s + ".comment FOR VALUES FROM (MINVALUE) TO ("
                + s + ".lowest_id_at('2024-06-01'))");
        sql("CREATE TABLE " + s + ".comment_p202406 PARTITION OF " + s + ".comment FOR VALUES FROM ("
                + s + ".lowest_id_at('2024-06-01')) TO (" + s + ".lowest_id_at('2024-07-01'))");
        sql("CREATE TABLE " + s + ".comment_p2024rest PARTITION OF " + s + ".comment FOR VALUES FROM ("
                + s + ".lowest_id_at('2024-07-01')) TO (" + s + ".lowest_id_at('2025-01-01'))");
        // reaches into the last 12 months: active as a whole
        sql("CREATE TABLE " + s + ".comment_precent PARTITION OF " + s + ".comment FOR VALUES FROM ("
                + s + ".lowest_id_at('2025-01-01')) TO (" + s + ".lowest_id_at(date_trunc('month', now() AT TIME ZONE 'UTC')))");
        long june = Ids.lowestAt(java.time.Instant.parse("2024-06-10T08:00:00Z"));
        sql("INSERT INTO " + s + ".comment (id, thread_id, site_id, root_id, path, depth, author_name, author_avatar,"
                + " body_source, body_html) VALUES (" + (june + 1) + ", " + june + ", 1, " + (june + 1)
                + ", 'x', 0, 'Ada', '0123456789abcdef', 'old', '<p>old</p>')");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void historicalPartitionsMoveToTheColdTablespaceOnce() {
        Databases databases = server.parley().databases();
        var maintenance = new PartitionMaintenance(databases, new HistoricalPartitions(12, Clock.systemUTC()), tablespace);

        assertThat(maintenance.moveHistorical(0)).isEqualTo(3); // everything before 2025

        assertThat(partitionsIn(tablespace)).containsExactlyInAnyOrder("comment_p000000", "comment_p202406",
                "comment_p2024rest");
        assertThat(indexesIn(tablespace)).contains("comment_p202406_thread_id_id_idx", "comment_p202406_pkey");
        // a partition that reaches into the last 12 months is active, as are this month's and those ahead
        assertThat(partitionsIn(tablespace)).doesNotContain("comment_precent");
        assertThat(maintenance.moveHistorical(0)).as("a second run has nothing to move").isZero();
        assertThat(databases.write(0).fetchValue("SELECT body_source FROM s0000.comment WHERE author_name = 'Ada'"))
                .isEqualTo("old");
        assertThat(new PartitionMaintenance(databases).moveHistorical(0)).as("no tablespace set: nothing moves").isZero();
    }

    private static List<String> partitionsIn(String space) {
        return server.parley().databases().write(0).fetch("""
                SELECT c.relname FROM pg_class c JOIN pg_tablespace t ON t.oid = c.reltablespace
                 WHERE c.relnamespace = 's0000'::regnamespace AND c.relkind = 'r' AND t.spcname = ?""", space)
                .getValues(0, String.class);
    }

    private static List<String> indexesIn(String space) {
        return server.parley().databases().write(0).fetch("""
                SELECT c.relname FROM pg_class c JOIN pg_tablespace t ON t.oid = c.reltablespace
                 WHERE c.relnamespace = 's0000'::regnamespace AND c.relkind = 'i' AND t.spcname = ?""", space)
                .getValues(0, String.class);
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = server.parley().databases().primaryOf("main").getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
