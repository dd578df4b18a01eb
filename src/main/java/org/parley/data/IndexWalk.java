package org.parley.data;

import org.jooq.DSLContext;

import java.util.function.Function;

/**
 * Runs a statement that must be read through indexes whatever the table's statistics say: in a transaction of its
 * own, with sequential scans and sorts off and the generic plan forced, for that transaction alone
 * ({@code set_config(..., true)}, as {@code SET LOCAL}). A statement ordered by an index's columns and cut by a
 * limit then walks that index and stops at the limit, and each connection plans it once. Which index serves a part
 * that no order asks for stays the planner's choice, and so depends on the statistics ({@link PartitionStatistics}).
 *
 * <p>Why: a pooled connection keeps the generic plan it made for a statement until the table is analysed again.
 * Made while this month's partition held a few rows, that plan is a sequential scan and a sort, the cheapest for a
 * few rows; and PostgreSQL estimates a thread's ID range (two parameters) at a fraction of a percent of the table, so
 * even on an analysed partition a sort of "the thread's rows" can look free. A thread that grows by thousands of
 * comments a minute (a viral article at the start of a month) then reads all of them on every run: the redirect after
 * a post took 16–18 ms a run in compare.sh's POST series, against 0.2–0.3 ms walking back along the index
 * (bench/README, "Plans kept from a small partition"). Turned off, scans and sorts cost PostgreSQL's "disabled"
 * price, so the index walk wins at any size.
 *
 * <p>The generic plan is forced because, costed without sequential scans, it covers every partition the statement
 * might prune as it starts (each one an index scan, though empty), so it looks dearer than a plan made for each run's
 * values, and PostgreSQL 18 planned every run afresh (about 1 ms of its CPU a post: docs/scale-out.md, "Partitions
 * that were never analyzed"). For statements bounded by a limit only: one that must read much of a table is better
 * planned as PostgreSQL likes.
 *
 * <p>The cost: a transaction around the statement and one more statement to set the three (0.01–0.02 ms a run in
 * PostgreSQL). Behind PgBouncer with {@code prepareThreshold=0} every statement is planned on every run, and this one
 * then as the generic plan over all its partitions. On Citus the coordinator does not pass these settings to the
 * workers, which plan routed statements themselves: there they change nothing. Call it on a context outside a
 * transaction: inside one, jOOQ makes the transaction a savepoint, and the settings would last to the end of the
 * caller's.
 */
public final class IndexWalk {
    /** The three settings in one statement, local to the transaction: they end with it, on commit or rollback. */
    public static final String SETTINGS = "select set_config('enable_seqscan', 'off', true),"
            + " set_config('enable_sort', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)";

    private IndexWalk() {
    }

    /** {@code statement}'s result, run on {@code dsl}'s database in a transaction planned by index walks only. */
    public static <T> T run(DSLContext dsl, Function<DSLContext, T> statement) {
        return dsl.transactionResult(tx -> {
            tx.dsl().execute(SETTINGS);
            return statement.apply(tx.dsl());
        });
    }
}
