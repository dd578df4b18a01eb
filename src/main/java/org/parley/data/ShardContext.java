package org.parley.data;

import org.jooq.Configuration;
import org.jooq.DSLContext;
import org.jooq.TransactionalCallable;
import org.jooq.TransactionalRunnable;
import org.jooq.impl.DefaultDSLContext;

import java.time.Duration;
import java.util.function.IntFunction;

/**
 * A shard's jOOQ context whose transactions survive a shard move: when one is refused by the source's write fence
 * ({@link ShardFence}), it asks for the shard map to be re-read and runs the whole transaction again — on the
 * shard's current context, i.e. the new cluster once the map has flipped, after a short wait while the move is still verifying. The refused attempt was
 * rolled back by PostgreSQL, so nothing is applied twice. Statements outside a transaction are not retried; they
 * fail with the fence's error (shown as "try again").
 */
final class ShardContext extends DefaultDSLContext {
    private static final Duration FIRST_WAIT = Duration.ofMillis(10);
    private static final Duration MAX_WAIT = Duration.ofMillis(250);

    private final int shard;
    private final Runnable refreshMap;
    private final IntFunction<DSLContext> current;

    /** @param current the shard's context as of now: after a move, the one on the new cluster */
    ShardContext(Configuration configuration, int shard, Runnable refreshMap, IntFunction<DSLContext> current) {
        super(configuration);
        this.shard = shard;
        this.refreshMap = refreshMap;
        this.current = current;
    }

    @Override
    public <T> T transactionResult(TransactionalCallable<T> transactional) {
        long deadline = System.nanoTime() + ShardFence.WAIT.toNanos();
        long wait = FIRST_WAIT.toMillis();
        while (true) {
            // the caller may hold this context from before a move: each attempt goes where the shard is now
            ShardContext target = current.apply(shard) instanceof ShardContext now ? now : this;
            try {
                return target.attempt(transactional);
            } catch (RuntimeException e) {
                if (!ShardFence.isFence(e) || e instanceof ShardFence.FencedException) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new ShardFence.FencedException(shard, e);
                }
                refreshMap.run();
                sleep(wait);
                wait = Math.min(wait * 2, MAX_WAIT.toMillis());
            }
        }
    }

    private <T> T attempt(TransactionalCallable<T> transactional) {
        return super.transactionResult(transactional);
    }

    @Override
    public void transaction(TransactionalRunnable transactional) {
        transactionResult(c -> {
            transactional.run(c);
            return null;
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a shard move", e);
        }
    }
}
