package org.parley.cache;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Turns a stream of failed and successful cache calls into episodes, so the log says "Memcached is failing"
 * once when it starts and "Memcached is answering again" once when it ends, however many calls fail in between
 * (the error metric counts each one). An episode ends only after {@link #QUIET} without a failure: with one of
 * several nodes failing, calls to the others succeed in between, and that must not read as recovery.
 */
final class Outages {
    /** How long calls must succeed without a failure before an episode is over. */
    static final Duration QUIET = Duration.ofSeconds(5);

    private final Logger log;
    private final String what;
    private final LongSupplier nanoTime;
    private volatile boolean failing; // written under this; read without it on every successful call
    private long lastFailure; // guarded by this
    private long failuresInEpisode; // guarded by this

    Outages(Logger log, String what, LongSupplier nanoTime) {
        this.log = log;
        this.what = what;
        this.nanoTime = nanoTime;
    }

    /** @return true when this failure starts an episode (and was logged at WARN) */
    synchronized boolean failed(String operation, Exception e) {
        lastFailure = nanoTime.getAsLong();
        failuresInEpisode++;
        if (failing) {
            return false;
        }
        failing = true;
        log.warn("{} is failing ({} timed out or failed: {}); serving from the database until it answers again",
                what, operation, describe(e));
        return true;
    }

    /** @return true when this success ends an episode (and was logged at INFO) */
    boolean succeeded() {
        if (!failing) {
            return false; // the common case costs one volatile read
        }
        synchronized (this) {
            if (!failing || nanoTime.getAsLong() - lastFailure < QUIET.toNanos()) {
                return false;
            }
            failing = false;
            log.info("{} is answering again ({} calls failed meanwhile)", what, failuresInEpisode);
            failuresInEpisode = 0;
            return true;
        }
    }

    boolean failing() {
        return failing;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
