package org.parley.data;

import java.time.Instant;

/**
 * Reads the Instagram-style IDs that each shard's {@code next_id()} makes:
 * 41 bits milliseconds since {@link #EPOCH} · 13 bits logical shard · 10 bits per-shard sequence.
 * Any ID names its shard and its creation time, so no lookup table is needed to find a row.
 */
public final class Ids {
    /**
     * 2024-01-01T00:00:00Z. The time field's top bit is bigint's sign bit, so IDs are positive and sort by time
     * until 2058-11-03 (2^40 ms); moving the epoch before then is a planned migration, not a surprise.
     */
    public static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    public static final int SHARD_BITS = 13;
    public static final int SEQUENCE_BITS = 10;
    private static final long SHARD_MASK = (1L << SHARD_BITS) - 1;
    private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
    private static final int TIME_SHIFT = SHARD_BITS + SEQUENCE_BITS;

    private Ids() {
    }

    public static int shardOf(long id) {
        return (int) ((id >>> SEQUENCE_BITS) & SHARD_MASK);
    }

    public static Instant createdAt(long id) {
        return EPOCH.plusMillis(id >>> TIME_SHIFT);
    }

    public static int sequenceOf(long id) {
        return (int) (id & SEQUENCE_MASK);
    }

    /** The smallest ID any shard can make at {@code time}: partition bounds and "since" queries use it. */
    public static long lowestAt(Instant time) {
        return (time.toEpochMilli() - EPOCH.toEpochMilli()) << TIME_SHIFT;
    }
}
