package org.parley.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TempDirs;
import org.parley.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Historical partitions move, with their indexes, to the historical tablespace — once, by one instance — and
 * active partitions stay. Run on the test PostgreSQL with a clock two years ahead, so the partitions this month's
 * migration created are historical.
 */
class HistoricalPartitionsIT {
    private static final Clock TWO_YEARS_AHEAD = Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(730));
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static Path location;

    @BeforeAll
    static void start() throws Exception {
        location = Files.createTempDirectory("parley-historical-ts");
        server.mainSql("CREATE TABLESPACE parley_historical_it LOCATION '" + location.toAbsolutePath() + "'");
    }

    /** The tablespace lies outside the test server's directory, so it is emptied, dropped and deleted here. */
    @AfterAll
    static void dropTheTablespace() throws Exception {
        if (location == null) {
            return; // the start failed, and says why
        }
        server.mainSql("ALTER TABLE ALL IN TABLESPACE parley_historical_it SET TABLESPACE pg_default");
        server.mainSql("ALTER INDEX ALL IN TABLESPACE parley_historical_it SET TABLESPACE pg_default");
        server.mainSql("DROP TABLESPACE IF EXISTS parley_historical_it");
        assertThat(TempDirs.deleteTree(location)).as("the tablespace's directory deleted").isTrue();
    }

    @Test
    void historicalPartitionsAndTheirIndexesMoveOnceAndActiveOnesStay() {
        var historical = new HistoricalPartitions(12, Optional.of("parley_historical_it"), TWO_YEARS_AHEAD);
        var maintenance = new PartitionMaintenance(server.parley().databases(), historical);
        var thread = server.thread("historical-move");
        long comment = server.post(thread, null, "still readable after the move");
        String schema = ShardRouter.schemaOf(thread.shard());
        int shards = server.parley().databases().shardMap().shardCount();

        int moved = maintenance.moveHistorical();

        List<String> inTablespace = tablesIn(schema, "parley_historical_it");
        // the catch-all for older rows and this month's partition (cutoff = a year before "now + 2 years")
        assertThat(inTablespace).contains("comment_p000000", "comment_p" + yyyymm(Instant.now()));
        assertThat(inTablespace).anyMatch(name -> name.startsWith("comment_p") && name.contains("_pkey"))
                .as("indexes move with their partition");
        assertThat(inTablespace).doesNotContain("comment_p" + yyyymm(TWO_YEARS_AHEAD.instant()));
        assertThat(moved).isGreaterThanOrEqualTo(2 * shards);
        assertThat(maintenance.moveHistorical()).as("a second pass finds nothing to move").isZero();
        String body = server.parley().databases().read(thread.shard())
                .fetchValue("SELECT body_source FROM " + schema + ".comment WHERE id = ?", comment).toString();
        assertThat(body).isEqualTo("still readable after the move");
    }

    @Test
    void withoutATablespaceNothingMoves() {
        var historical = new HistoricalPartitions(12, Optional.empty(), TWO_YEARS_AHEAD);

        assertThat(new PartitionMaintenance(server.parley().databases(), historical).moveHistorical()).isZero();
    }

    private static List<String> tablesIn(String schema, String tablespace) {
        return server.parley().databases().main().fetchValues("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_tablespace t ON t.oid = c.reltablespace
                WHERE n.nspname = ? AND t.spcname = ?""", schema, tablespace).stream().map(Object::toString).toList();
    }

    private static String yyyymm(Instant instant) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMM").withZone(ZoneOffset.UTC).format(instant);
    }
}
