package org.parley.cache;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The cache's failure detector, and its log. One failed call is a miss, nothing more: on a loaded machine a GC
 * pause or a busy core can make a healthy Memcached miss one deadline, and that must neither flood the log nor
 * change how Parley behaves. {@link #FAILURES_TO_TRIP} failures in a row, with no success between, mean the cache
 * is down: one WARN, and from then on calls skip it ({@link #allow} is false, so a page costs no timeouts) except
 * one probe call every {@link #PROBE_INTERVAL}. The first call that succeeds ends the episode with one INFO.
 *
 * <p>With several nodes, a hung node among healthy ones rarely fails three calls in a row (calls to the others
 * succeed between), so its keys simply miss after the timeout; a node that is gone is dropped by the client
 * itself and its keys move to the others.
 */
final class Outages {
    /** Consecutive failed calls that mean "down" rather than "one slow answer". */
    static final int FAILURES_TO_TRIP = 3;
    /** While down, how often one call is let through to see whether the cache is back. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final Logger log;
    private final String what;
    private final LongSupplier nanoTime;
    private volatile boolean failing; // written under this; read without it on every call
    private volatile int consecutive; // written under this
    private long nextProbe; // guarded by this
    private long episodeStart; // guarded by this
    private long failuresInEpisode; // guarded by this

    Outages(Logger log, String what, LongSupplier nanoTime) {
        this.log = log;
        this.what = what;
        this.nanoTime = nanoTime;
    }

    /** Whether a call should go to the cache now: always while it is up; while it is down, one probe per interval. */
    boolean allow() {
        if (!failing) {
            return true;
        }
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (!failing || now - nextProbe >= 0) {
                nextProbe = now + PROBE_INTERVAL.toNanos();
                return true;
            }
            failuresInEpisode++; // a skipped call is a call the cache did not serve
            return false;
        }
    }

    /** @return true when this failure starts an episode (and was logged at WARN) */
    synchronized boolean failed(String operation, Exception e) {
        consecutive++;
        if (failing) {
            failuresInEpisode++;
            return false;
        }
        if (consecutive < FAILURES_TO_TRIP) {
            return false;
        }
        failing = true;
        episodeStart = nanoTime.getAsLong();
        nextProbe = episodeStart + PROBE_INTERVAL.toNanos();
        failuresInEpisode = consecutive;
        log.warn("{} is failing ({} calls in a row timed out or failed, the last a {}: {}); serving from the database"
                + " until it answers again (asked every {} ms)", what, consecutive, operation, describe(e),
                PROBE_INTERVAL.toMillis());
        return true;
    }

    /** @return true when this success ends an episode (and was logged at INFO) */
    boolean succeeded() {
        if (!failing && consecutive == 0) {
            return false; // the common case costs two volatile reads
        }
        synchronized (this) {
            consecutive = 0;
            if (!failing) {
                return false;
            }
            failing = false;
            log.info("{} is answering again after {} s ({} calls failed or skipped meanwhile)", what,
                    (nanoTime.getAsLong() - episodeStart) / 1_000_000_000, failuresInEpisode);
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
