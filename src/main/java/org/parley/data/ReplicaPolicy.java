package org.parley.data;

import java.time.Duration;

/**
 * When a streaming replica may serve reads: it answered the last poll and is at most {@code maxLag} behind its
 * primary. Replicas are polled every {@code pollInterval}.
 *
 * @param maxLag       PARLEY_REPLICA_MAX_LAG_MS: a replica further behind is skipped until it catches up
 * @param pollInterval PARLEY_REPLICA_POLL_MS: how often each replica's replay position is read
 */
public record ReplicaPolicy(Duration maxLag, Duration pollInterval) {
    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(10);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    public static final ReplicaPolicy DEFAULT = new ReplicaPolicy(DEFAULT_MAX_LAG, DEFAULT_POLL_INTERVAL);

    /**
     * How long a visitor's write position stays worth carrying: past it, every replica still in use has replayed
     * it (it is at most maxLag behind, measured at most a poll ago), so the cookie can lapse. Two polls of margin
     * cover clocks of different instances and a poll that was slow.
     */
    public Duration readYourWritesWindow() {
        return maxLag.plus(pollInterval.multipliedBy(3)).plusSeconds(1);
    }
}
