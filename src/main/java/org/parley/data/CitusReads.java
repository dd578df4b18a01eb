package org.parley.data;

/**
 * How {@link AllShards} reads every shard of a Citus coordinator (PARLEY_CITUS_CROSS_SHARD_READS). On plain
 * PostgreSQL there is no choice to make: one statement per physical server, a UNION ALL branch per shard schema.
 *
 * <p>On Citus that same statement reaches the coordinator, which cannot push a UNION ALL of distributed schemas
 * down to the workers (each schema is its own colocation group): it plans every branch as a separate subplan, runs
 * them one after another (Citus 13.2, {@code ExecuteSubPlans} in {@code subplan_execution.c}), stores each result
 * as an intermediate result and then merges those on the coordinator. The alternative is Parley's own
 * scatter/gather: one statement per shard schema, each routed by the coordinator straight to the worker holding
 * it (Citus's fast-path router), run in parallel by {@link AllShards} and merged in Parley. Same rows, same order,
 * same pages either way ({@code CitusCrossShardReadsIT}); the figures that chose the default are in
 * docs/scale-out.md, "Cross-shard reads on Citus".
 */
public enum CitusReads {
    /** ONE statement for all shards, sent to the coordinator, which runs a subplan per shard in turn. */
    COORDINATOR,
    /** One statement per shard schema, in parallel (at most {@link AllShards#PARALLEL} at once), merged in Parley. */
    SHARDS
}
