package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Analyses a comment partition as soon as it has had as many rows written since its last analysis as it held then
 * (it has doubled, for a partition that only takes inserts), so the plans that pooled connections keep are made for
 * the partition as it is, not as it was when it held a few rows.
 *
 * <p>A connection keeps the generic plan of each statement until the table is analysed again; made for a partition
 * of a few rows, it is costed as if every index and every scan read one row, and picks among them at random: the
 * redirect after a post counted the thread's pinned comments through the index of all its top-level ones, 1 000
 * pages a post at 6 000 comments (bench/README, "Plans kept from a small partition"). Autovacuum analyses a table
 * after a tenth of it changed, but looks only once a minute by default, and a viral thread (or any busy site in the
 * first minutes of a month) writes thousands of comments into the new partition in that minute.
 * {@code db/postgresql.conf.sample}'s autovacuum bounds it to seconds; this does the same on a server configured
 * otherwise (a managed database's defaults), and more closely for a partition that grows fast.
 *
 * <p>Every {@link #EVERY}, each plain PostgreSQL cluster is asked which of its comment partitions qualify (at least
 * {@link #MIN_CHANGES} rows written, and this role owns them: another's would only get a warning and be asked
 * about again), and those are analysed, each with a short lock timeout so that it never queues in front of a
 * shard move's lock or a post. The fleet does it once ({@link FleetJobs#once}); a cluster that cannot be reached is
 * skipped until the next round. Citus clusters are left alone: their coordinator's tables are empty shells, and the
 * workers' autovacuum sees the real ones.
 */
public final class PartitionStatistics implements AutoCloseable {
    public static final Duration EVERY = Duration.ofSeconds(10);
    /** Fewer changes than this never call for an analysis: a plan read wrong for that many rows costs little. */
    public static final long MIN_CHANGES = 1_000;
    private static final Logger log = LoggerFactory.getLogger(PartitionStatistics.class);
    /**
     * The comment partitions of the given shards' {@code comment} tables (schema.table, quoted) that qualify: found
     * through pg_inherits, with the one counter read for just those (3–5 ms on a cluster of 64 shards; the
     * pg_stat_user_tables view computes every counter of every table, 80 ms).
     */
    private static final String GROWN = """
            SELECT format('%I.%I', n.nspname, c.relname)
              FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE i.inhparent IN (SELECT to_regclass(parent) FROM unnest({0}::text[]) parent)
               AND pg_has_role(c.relowner, 'USAGE')
               AND pg_stat_get_mod_since_analyze(c.oid) >= greatest({1}, c.reltuples)
             ORDER BY 1""";

    private final Databases databases;
    private AutoCloseable schedule = () -> { };

    public PartitionStatistics(Databases databases) {
        this.databases = databases;
    }

    public PartitionStatistics start() {
        schedule = FleetJobs.every(EVERY, "partition-statistics", this::runOnce);
        return this;
    }

    /** @return the partitions analysed (schema.table), none when another instance is at it */
    public List<String> runOnce() {
        return FleetJobs.once(databases.main(), "partition-statistics", main -> {
            List<String> analysed = new ArrayList<>();
            for (String cluster : databases.clusters()) {
                List<Integer> shards = databases.shardMap().shardsOn(cluster);
                if (!shards.isEmpty() && databases.citusReads(cluster).isEmpty()) {
                    analyseGrown(cluster, shards, analysed);
                }
            }
            if (!analysed.isEmpty()) {
                log.info("Analysed {} comment partitions that had doubled since their last analysis: {}",
                        analysed.size(), analysed);
            }
            return analysed;
        }).orElse(List.of());
    }

    private void analyseGrown(String cluster, List<Integer> shards, List<String> analysed) {
        DSLContext db = DSL.using(databases.primaryOf(cluster), SQLDialect.POSTGRES);
        String[] tables = shards.stream().map(shard -> ShardRouter.schemaOf(shard) + ".comment").toArray(String[]::new);
        List<String> grown;
        try {
            grown = db.fetch(GROWN, DSL.val(tables), DSL.val(MIN_CHANGES)).getValues(0, String.class);
        } catch (RuntimeException e) {
            log.warn("Partition statistics: cluster {} skipped this round: {}", cluster, e.getMessage());
            return;
        }
        for (String partition : grown) {
            try {
                db.transaction(tx -> {
                    tx.dsl().execute("SET LOCAL lock_timeout = '1s'");
                    tx.dsl().execute("ANALYZE " + partition);
                });
                analysed.add(partition);
            } catch (RuntimeException e) {
                log.warn("Partition statistics: {} not analysed this round: {}", partition, e.getMessage());
            }
        }
    }

    @Override
    public void close() throws Exception {
        schedule.close();
    }
}
