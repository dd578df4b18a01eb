package org.parley.discussion;

import org.jooq.DSLContext;
import org.parley.data.DatabaseUnavailable;
import org.parley.data.Databases;
import org.parley.data.NotCommitted;
import org.parley.data.ReadYourWrites;
import org.parley.data.ShardFence;
import org.parley.edge.EdgePurges;
import org.parley.snapshot.SnapshotRemovals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

import static org.parley.db.shard.Tables.THREAD;

/**
 * The one write path for comment and thread state. Visitors' writes ({@link CommentService}), moderation actions,
 * content moderation and counter repairs ({@link CounterReconciliation}) all run their change through {@link #on}:
 * one transaction on the shard, counters and the thread's version moved through the {@link ThreadWrite} it is
 * given, and — after the commit, never before — the new versions told to {@link ThreadVersions}, so a conditional
 * GET sees them and no stale page is served as current. Whatever else must follow every committed change belongs
 * here too: so, inside the transaction, one purge per bumped thread for the edge in front of the pages
 * ({@link EdgePurges}; nothing without an edge), so every kind of change — post, edit, vote, moderation, closing —
 * reaches the edge without each action having to remember it; and the removal of the thread's static snapshot on
 * the CDN, when it has one ({@link SnapshotRemovals}), so a cold thread's first new write is not hidden by it.
 */
public final class ThreadWrites {
    /** Hears, after each commit, the threads whose version the change bumped. */
    public interface Committed {
        void written(long threadId, long version);
    }

    private final Databases databases;
    private final Committed committed;
    private final EdgePurges purges;
    private final GroupCommit group = new GroupCommit(this::inOneTransaction);

    public ThreadWrites(Databases databases, ThreadVersions versions) {
        this(databases, versions::written, versions.edgePurges());
    }

    /** For a command that runs without the page cache (reconcile): it tells a sink of its own instead. */
    public ThreadWrites(Databases databases, Committed committed) {
        this(databases, committed, EdgePurges.NONE);
    }

    /** For a command that writes without the page cache but with the edge's purges queued (reconcile, import). */
    public ThreadWrites(Databases databases, Committed committed, EdgePurges purges) {
        this.databases = databases;
        this.committed = committed;
        this.purges = purges;
    }

    /**
     * Runs {@code change} in one transaction on {@code shard}'s primary and returns its result. If it throws,
     * nothing is written and nothing is told to the cache.
     */
    public <R> R on(int shard, Function<ThreadWrite, R> change) {
        var job = new GroupCommit.Job<>(shard, 0, change);
        inOneTransaction(shard, List.of(job));
        return job.result();
    }

    /**
     * The same for a write to thread {@code threadId} that other visitors may be making at the same moment (a
     * post): writes to one thread that meet are committed together ({@link GroupCommit}), each still all or
     * nothing — one that throws is rolled back to its savepoint and fails alone.
     */
    public <R> R onThread(int shard, long threadId, Function<ThreadWrite, R> change) {
        return group.submit(shard, threadId, change);
    }

    private static Object applyAlone(GroupCommit.Job<?> job, ThreadWrite write) {
        try {
            return job.change.apply(write);
        } catch (RuntimeException e) {
            // not yet committing: the server rolls back whatever it had, so this failure wrote nothing
            throw DatabaseUnavailable.connectionFailure(e) ? new NotCommitted(e) : e;
        }
    }

    /** Where an instance's posts/transactions counters of the group commit are exported (docs/metrics.md). */
    public static final String GROUPED_WRITES = "parley.writes.grouped_writes_total";
    public static final String GROUP_TRANSACTIONS = "parley.writes.group_transactions_total";
    /** Shared transactions whose changes ran a second time, each in its own savepoint, because one failed. */
    public static final String GROUP_RETRIES = "parley.writes.group_retries_total";
    private final com.codahale.metrics.Counter retries = new com.codahale.metrics.Counter();

    /**
     * Exports the group commit's counters: writes through {@link #onThread}, the transactions they took, and how
     * many of those ran their changes again because one failed.
     */
    public void register(com.codahale.metrics.MetricRegistry metrics) {
        metrics.register(GROUPED_WRITES, group.writes);
        metrics.register(GROUP_TRANSACTIONS, group.transactions);
        metrics.register(GROUP_RETRIES, retries);
    }

    /**
     * The batch's changes one after another, without a savepoint each: the first failure is thrown (and the caller
     * rolls back to the batch's savepoint). Why not a savepoint per change from the start: SAVEPOINT and RELEASE
     * are two round trips to PostgreSQL per post, made while every other writer to the thread waits for this
     * batch, about as many as the post's own statements.
     */
    private static List<ThreadWrite> applyEach(DSLContext dsl, List<GroupCommit.Job<?>> batch, Object[] outcomes,
                                               Function<Long, Integer> followersBefore) {
        List<ThreadWrite> applied = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            var write = ThreadWrite.deferred(dsl, followersBefore);
            outcomes[i] = batch.get(i).change.apply(write);
            applied.add(write);
        }
        return applied;
    }

    /** The batch's changes, each in a savepoint of its own: one change's failure undoes only its own statements. */
    private static List<ThreadWrite> applyEachAlone(DSLContext dsl, List<GroupCommit.Job<?>> batch, Object[] outcomes,
                                                    RuntimeException[] failures,
                                                    Function<Long, Integer> followersBefore) {
        List<ThreadWrite> succeeded = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            var change = batch.get(i).change;
            int index = i;
            try {
                succeeded.add(dsl.transactionResult(savepoint -> {
                    var write = ThreadWrite.deferred(savepoint.dsl(), followersBefore);
                    outcomes[index] = change.apply(write);
                    return write;
                }));
            } catch (RuntimeException e) {
                throwIfTheBatchIsLost(e);
                failures[i] = e;
            }
        }
        return succeeded;
    }

    /**
     * A shared batch's changes in the transaction {@code dsl}: under one savepoint, and only if one of them fails,
     * again with a savepoint each. Returns the writes of the changes that succeeded, in order.
     */
    private List<ThreadWrite> applyBatch(DSLContext dsl, List<GroupCommit.Job<?>> batch, Object[] outcomes,
                                         RuntimeException[] failures) {
        var followerCounts = new java.util.HashMap<Long, Integer>();
        Function<Long, Integer> followersBefore = threadId -> followerCounts.computeIfAbsent(threadId,
                id -> dsl.select(THREAD.FOLLOWER_COUNT).from(THREAD).where(THREAD.ID.eq(id))
                        .fetchOptional(THREAD.FOLLOWER_COUNT).orElse(0));
        try {
            // one savepoint for the whole batch: every change usually succeeds
            return dsl.transactionResult(whole -> applyEach(whole.dsl(), batch, outcomes, followersBefore));
        } catch (RuntimeException e) {
            throwIfTheBatchIsLost(e);
            // one of them failed and the batch's statements are undone: again, each in a savepoint of its own, so
            // that only the failing one fails
            retries.inc();
            return applyEachAlone(dsl, batch, outcomes, failures, followersBefore);
        }
    }

    /**
     * Rethrows what no single change caused: a lost connection (the whole transaction is gone: every change fails)
     * or a shard move's fence (the shard's context runs the whole batch again after the switch-over).
     */
    private static void throwIfTheBatchIsLost(RuntimeException e) {
        if (DatabaseUnavailable.connectionFailure(e)) {
            throw new NotCommitted(e);
        }
        if (ShardFence.isFence(e)) {
            throw e;
        }
    }

    /** Runs the batch's changes in one transaction and settles each: its result after the commit, or its failure. */
    void inOneTransaction(int shard, List<GroupCommit.Job<?>> batch) {
        boolean alone = batch.size() == 1;
        var bumped = new LinkedHashMap<Long, Long>();
        var outcomes = new Object[batch.size()];
        var failures = new RuntimeException[batch.size()];
        List<ReadYourWrites> requests = batch.stream().map(job -> job.request).toList();
        try {
            ReadYourWrites.writingFor(requests, () -> databases.write(shard).transaction(tx -> {
                // the shard's context runs this again when a shard move's fence refused it: start afresh
                java.util.Arrays.fill(outcomes, null);
                java.util.Arrays.fill(failures, null);
                var all = new ThreadWrite(tx.dsl());
                if (alone) {
                    outcomes[0] = applyAlone(batch.get(0), all);
                } else {
                    ThreadWrite.applyAll(all, applyBatch(tx.dsl(), batch, outcomes, failures));
                }
                all.named().forEach((threadId, thread) -> {
                    purges.queue(tx.dsl(), threadId, all.bumped().get(threadId), thread.siteId(), thread.key());
                    SnapshotRemovals.queue(tx.dsl(), threadId, thread.snapshotVersion(), thread.siteId(), thread.key());
                });
                bumped.putAll(all.bumped());
            }));
        } catch (RuntimeException e) {
            batch.forEach(job -> job.fail(e));
            return;
        }
        bumped.forEach(committed::written);
        if (!bumped.isEmpty()) {
            purges.committed();
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failures[i] != null) {
                batch.get(i).fail(failures[i]);
            } else {
                batch.get(i).complete(outcomes[i]);
            }
        }
    }
}
