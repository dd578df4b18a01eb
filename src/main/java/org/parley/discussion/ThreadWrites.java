package org.parley.discussion;

import org.parley.data.DatabaseUnavailable;
import org.parley.data.Databases;
import org.parley.data.NotCommitted;
import org.parley.edge.EdgePurges;
import org.parley.snapshot.SnapshotRemovals;

import java.util.Map;
import java.util.function.Function;

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
        record Done<R>(R result, Map<Long, Long> bumped) {
        }
        Done<R> done = databases.write(shard).transactionResult(tx -> {
            var write = new ThreadWrite(tx.dsl());
            try {
                R result = change.apply(write);
                write.named().forEach((threadId, thread) -> {
                    purges.queue(tx.dsl(), threadId, write.bumped().get(threadId), thread.siteId(), thread.key());
                    SnapshotRemovals.queue(tx.dsl(), threadId, thread.snapshotVersion(), thread.siteId(), thread.key());
                });
                return new Done<>(result, write.bumped());
            } catch (RuntimeException e) {
                // not yet committing: the server rolls back whatever it had, so this failure wrote nothing
                throw DatabaseUnavailable.connectionFailure(e) ? new NotCommitted(e) : e;
            }
        });
        done.bumped().forEach(committed::written);
        if (!done.bumped().isEmpty()) {
            purges.committed();
        }
        return done.result();
    }
}
