package org.parley.data;

import org.jooq.Configuration;
import org.jooq.TransactionalCallable;
import org.jooq.TransactionalRunnable;
import org.jooq.impl.DefaultDSLContext;

import java.time.Duration;

/**
 * A shard's jOOQ context whose transactions survive a shard move: when one is refused by the source's write fence
 * ({@link ShardFence}), it asks for the shard map to be re-read and runs the whole transaction again — on the new
 * cluster once the map has flipped, after a short wait while the move is still verifying. The refused attempt was
 * rolled back by PostgreSQL, so nothing is applied twice. Statements outside a transaction are not retried; they
 * fail with the fence's error (shown as "try again").
 */
final class ShardContext extends DefaultDSLContext {
    private static final Duration FIRST_WAIT = Duration.ofMillis(10);
    private static final Duration MAX_WAIT = Duration.ofMillis(250);

    private final int shard;
    private final Runnable refreshMap;

    ShardContext(Configuration configuration, int shard, Runnable refreshMap) {
        super(configuration);
        this.shard = shard;
        this.refreshMap = refreshMap;
    }

    @Override
    public <T> T transactionResult(TransactionalCallable<T> transactional) {
        long deadline = System.nanoTime() + ShardFence.WAIT.toNanos();
        long wait = FIRST_WAIT.toMillis();
        while (true) {
            try {
                return super.transactionResult(transactional);
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
