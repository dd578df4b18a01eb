package org.parley.discussion;

import com.codahale.metrics.Counter;
import org.parley.data.ReadYourWrites;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Writes that arrive for a thread while an earlier write to it is running are committed together, in one
 * transaction, by whichever of their callers gets there first (group commit, the way a database's log writer
 * flushes many commits with one sync).
 *
 * <p>Why: every post moves its thread's counters and version, so concurrent posts to one popular thread queue on
 * that row's lock, each holding it until its own commit is on disk — 32 writers took turns at one fsync each. Here
 * at most one transaction per stripe runs on an instance; the posts that came in meanwhile wait for it and then go
 * in the next one, whose one row update, one set of edge purges and one commit serve them all. Counters stay exact
 * and versions move in commit order, as before: nothing about what a write does changes, only how many share a
 * transaction. A write that arrives alone runs as it always did, on its own caller's thread.
 *
 * <p>Threads are spread over a fixed set of stripes by id, so the state is bounded whatever the number of threads;
 * two threads sharing a stripe may share a transaction, which is harmless.
 */
final class GroupCommit {
    /** Enough that unrelated busy threads rarely share a stripe; each costs a lock and an empty queue. */
    static final int STRIPES = 1024;
    /** A transaction's writes at most: bounds how long the lock on a thread row and the slowest caller wait. */
    static final int MAX_BATCH = 64;

    /** Runs a batch of writes on one shard and settles every one of them (each completes or fails). */
    interface Runner {
        void run(int shard, List<Job<?>> batch);
    }

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Runner runner;
    /** Writes submitted, and the transactions they went in: their ratio is how much the grouping saves. */
    final Counter writes = new Counter();
    final Counter transactions = new Counter();

    GroupCommit(Runner runner) {
        this.runner = runner;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /**
     * Runs {@code change} on thread {@code threadId} of {@code shard}, alone or in a batch, and returns its
     * result or throws its exception once the transaction it was in has ended.
     */
    <R> R submit(int shard, long threadId, Function<ThreadWrite, R> change) {
        var job = new Job<>(shard, threadId, change);
        Stripe stripe = stripes[Math.floorMod(Long.hashCode(threadId), STRIPES)];
        stripe.queue.add(job);
        while (!job.settled()) {
            if (stripe.lead.tryLock()) {
                try {
                    if (!job.settled()) {
                        runBatches(stripe.take());
                    }
                } finally {
                    stripe.lead.unlock();
                }
                // whoever queued while this caller led must not wait for a leader that is not coming
                Job<?> next = stripe.queue.peek();
                if (next != null) {
                    next.wake();
                }
            } else {
                job.awaitTurn();
            }
        }
        return job.result();
    }

    /** A batch drained from a stripe may hold threads of several shards: one transaction per shard. */
    private void runBatches(List<Job<?>> drained) {
        // one lock order for every batch on every instance (by thread id), so two batches cannot deadlock;
        // a thread's own writes keep their order of arrival (the sort is stable)
        drained.sort((a, b) -> Long.compare(a.threadId, b.threadId));
        var byShard = new java.util.LinkedHashMap<Integer, List<Job<?>>>();
        drained.forEach(job -> byShard.computeIfAbsent(job.shard, s -> new ArrayList<>()).add(job));
        byShard.forEach((shard, batch) -> {
            writes.inc(batch.size());
            transactions.inc();
            try {
                runner.run(shard, batch);
            } catch (RuntimeException | Error e) {
                batch.forEach(job -> job.failIfOpen(e));
            }
        });
    }

    private static final class Stripe {
        final ReentrantLock lead = new ReentrantLock();
        final ConcurrentLinkedQueue<Job<?>> queue = new ConcurrentLinkedQueue<>();

        List<Job<?>> take() {
            List<Job<?>> batch = new ArrayList<>();
            Job<?> job;
            while (batch.size() < MAX_BATCH && (job = queue.poll()) != null) {
                batch.add(job);
            }
            return batch;
        }
    }

    /** One caller's write: what to run, and then how it ended. */
    static final class Job<R> {
        final int shard;
        final long threadId;
        final Function<ThreadWrite, R> change;
        /** The caller's read-your-writes scope: it must learn where the transaction committed, whoever ran it. */
        final ReadYourWrites request = ReadYourWrites.ofThisRequest();
        private final Semaphore turn = new Semaphore(0);
        private volatile boolean settled;
        private R result;
        private Throwable failure;

        Job(int shard, long threadId, Function<ThreadWrite, R> change) {
            this.shard = shard;
            this.threadId = threadId;
            this.change = change;
        }

        void complete(Object value) {
            @SuppressWarnings("unchecked") R r = (R) value;
            result = r;
            settle();
        }

        void fail(Throwable e) {
            failure = e;
            settle();
        }

        void failIfOpen(Throwable e) {
            if (!settled) {
                fail(e);
            }
        }

        private void settle() {
            settled = true; // the volatile write publishes result and failure to the waiting caller
            turn.release();
        }

        boolean settled() {
            return settled;
        }

        void wake() {
            turn.release();
        }

        void awaitTurn() {
            // not interruptible: the write may be committing, and the caller must learn how it ended
            turn.acquireUninterruptibly();
        }

        R result() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result;
        }
    }
}
