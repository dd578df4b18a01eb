package org.parley.ops;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The first step of a graceful stop. Once {@link #begin} is called, /readyz answers 503 so the balancer takes
 * this instance out of rotation, while every other request is still served as usual: requests the balancer sends
 * before it notices must not fail. After the drain period the server stops accepting and finishes what is in
 * flight (ParleyServer#close).
 */
public final class Drain {
    private final CountDownLatch skip = new CountDownLatch(1);
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    /** Fails /readyz from now on, then waits {@code period} (or until {@link #cutShort}) and returns. */
    public void begin(Duration period) {
        draining = true;
        try {
            skip.await(period.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the wait early: a second signal from an impatient operator. */
    public void cutShort() {
        skip.countDown();
    }
}
