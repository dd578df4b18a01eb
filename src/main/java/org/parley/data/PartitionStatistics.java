package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Analyses a comment partition as soon as it has doubled since its last analysis, so the plans that pooled
 * connections keep are made for the partition as it is, not as it was when it held a few rows.
 *
 * <p>A connection keeps the generic plan of each statement until the table is analysed again; made for a partition
 * of a few rows, it is costed as if every index and every scan read one row, and picks among them at random: the
 * redirect after a post counted the thread's pinned comments through the index of all its top-level ones, 1 000
 * pages a post at 6 000 comments (bench/README, "A plan that cannot read the whole thread"). Autovacuum analyses a
 * table after a tenth of it changed, but looks only once a minute by default, and a viral thread (or any busy site
 * in the first minutes of a month) writes thousands of comments into the new partition in that minute.
 * {@code db/postgresql.conf.sample}'s autovacuum bounds it to seconds; this does the same on a server configured
 * otherwise (a managed database's defaults), and more closely for a partition that grows fast.
 *
 * <p>Every {@link #EVERY}, each plain PostgreSQL cluster is asked which of its comment partitions have had at
 * least as many rows written since their last analysis as they had then (and at least {@link #MIN_CHANGES}), and
 * those are analysed: as a partition grows, that is once each time it doubles, so the work stays a small share of
 * what was written. The fleet does it once ({@link FleetJobs#once}). Citus clusters are left alone: their
 * coordinator's tables are empty shells, and the workers' autovacuum sees the real ones.
 */
public final class PartitionStatistics implements AutoCloseable {
    public static final Duration EVERY = Duration.ofSeconds(10);
    /** Fewer changes than this never call for an analysis: a plan read wrong for that many rows costs little. */
    public static final long MIN_CHANGES = 1_000;
    private static final Logger log = LoggerFactory.getLogger(PartitionStatistics.class);
    /**
     * The comment partitions of the given shards' {@code comment} tables (schema.table) that have doubled (or more)
     * since they were last analysed: found through pg_inherits, with the one counter read for just those (3–5 ms on
     * a cluster of 64 shards; the pg_stat_user_tables view computes every counter of every table, 80 ms).
     */
    private static final String GROWN = """
            SELECT i.inhrelid::regclass::text
              FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent IN (SELECT to_regclass(parent) FROM unnest({0}::text[]) parent)
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
                if (shards.isEmpty() || databases.citusReads(cluster).isPresent()) {
                    continue;
                }
                DSLContext db = databases.write(shards.getFirst());
                String[] tables = shards.stream().map(shard -> ShardRouter.schemaOf(shard) + ".comment")
                        .toArray(String[]::new);
                for (String partition : db.fetch(GROWN, DSL.val(tables), DSL.val(MIN_CHANGES)).getValues(0, String.class)) {
                    db.execute("ANALYZE " + partition);
                    analysed.add(partition);
                }
            }
            if (!analysed.isEmpty()) {
                log.info("Analysed {} comment partitions that had doubled since their last analysis: {}",
                        analysed.size(), analysed);
            }
            return analysed;
        }).orElse(List.of());
    }

    @Override
    public void close() throws Exception {
        schedule.close();
    }
}
