package org.parley.data;

/**
 * What the last poll found out about one replica. Only {@link Health#USABLE} replicas serve reads.
 *
 * @param replayed     the last WAL position the replica has applied (null until it answered once)
 * @param lagBytes     WAL the primary has written that the replica has not applied yet (-1 unknown)
 * @param lagMillis    how long ago the primary had already written WAL that the replica still lacks: the age of the
 *                     oldest write missing on the replica, to one poll interval (0 = nothing missing, -1 unknown)
 * @param replayAgeMillis time since the last transaction the replica applied was committed on the primary
 *                     ({@code pg_last_xact_replay_timestamp()}); grows while the primary is idle, so it is shown,
 *                     not used to decide (-1 unknown)
 * @param reason       why it is not usable, for logs (empty when usable)
 */
public record ReplicaState(Health health, Lsn replayed, long lagBytes, long lagMillis, long replayAgeMillis,
                           String reason) {

    public enum Health {
        /** Not polled yet: reads stay on the primary until the first answer. */
        UNKNOWN,
        USABLE,
        /** Did not answer (stopped, unreachable, refusing connections). */
        DOWN,
        /** Answers, but is more than the allowed lag behind. */
        LAGGING,
        /** Answers, but is not in recovery any more (promoted): its data no longer follows our primary. */
        NOT_STANDBY
    }

    public static final ReplicaState UNKNOWN = new ReplicaState(Health.UNKNOWN, null, -1, -1, -1, "not polled yet");

    public static ReplicaState down(String reason, ReplicaState last) {
        return new ReplicaState(Health.DOWN, last.replayed(), -1, -1, -1, reason);
    }

    public boolean usable() {
        return health == Health.USABLE;
    }

    /** True when the replica is known to have applied everything up to {@code position}. */
    public boolean hasReplayed(Lsn position) {
        return replayed != null && replayed.atLeast(position);
    }
}
