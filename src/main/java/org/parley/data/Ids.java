package org.parley.data;

import java.time.Instant;

/**
 * Reads the Instagram-style IDs that each shard's {@code next_id()} makes:
 * 41 bits milliseconds since {@link #EPOCH} · 13 bits logical shard · 10 bits per-shard sequence (the shard
 * makes 0–511; 512–1023 are the spool's, {@link #spooled}).
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
    /** What one millisecond adds to an id: the step to the next free time when a millisecond's sequences are used. */
    public static final long ONE_MILLISECOND = 1L << TIME_SHIFT;

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

    /**
     * Times before {@link #EPOCH} — comments imported from older systems — are squeezed, in order, into the
     * epoch's first day: 1995 to 2024 at about 11 seconds per millisecond step, so the IDs stay positive, sort
     * before anything Parley made, and land in the oldest partition. A row's {@code created_at} keeps the true
     * time. (Imported rows from 2024-01-01 itself share that day and may interleave with them: harmless.)
     */
    static final Instant OLDEST_IMPORTED = Instant.parse("1995-01-01T00:00:00Z");
    private static final long SQUEEZED_INTO_MS = 86_400_000;

    /**
     * The ID of a row made at {@code time} on {@code shard} with {@code sequence} (0–1023), for rows written with
     * their original time (imports) rather than by {@code next_id()}; two rows with the same time and shard
     * need different sequences.
     */
    public static long at(Instant time, int shard, int sequence) {
        if (shard < 0 || shard > SHARD_MASK || sequence < 0 || sequence > SEQUENCE_MASK) {
            throw new IllegalArgumentException("shard 0.." + SHARD_MASK + " and sequence 0.." + SEQUENCE_MASK
                    + ", got " + shard + " and " + sequence);
        }
        long epoch = EPOCH.toEpochMilli();
        long millis = time.toEpochMilli();
        long field;
        if (millis >= epoch) {
            field = millis - epoch;
        } else {
            long oldest = OLDEST_IMPORTED.toEpochMilli();
            long since = Math.max(millis, oldest) - oldest;
            field = since / ((epoch - oldest) / SQUEEZED_INTO_MS + 1);
        }
        return (field << TIME_SHIFT) | ((long) shard << SEQUENCE_BITS) | sequence;
    }

    /**
     * Sequences from this one up are never made by a shard's {@code next_id()} (shard migration V18): they are
     * minted outside it, by the comment spool while the shard's primary cannot be reached, so the two can never
     * collide whatever the clocks say.
     */
    public static final int FIRST_SPOOLED_SEQUENCE = 512;

    /** The {@code n}th spooled ID (any counter shared by the fleet) of a comment written at {@code time}. */
    public static long spooled(Instant time, int shard, long n) {
        return at(time, shard, FIRST_SPOOLED_SEQUENCE + (int) Math.floorMod(n, (long) FIRST_SPOOLED_SEQUENCE));
    }

    /** The ID one millisecond before {@code id}, on its shard with its sequence: for a thread a spooled comment starts. */
    public static long justBefore(long id) {
        return id - ONE_MILLISECOND;
    }

    public static boolean isSpooled(long id) {
        return sequenceOf(id) >= FIRST_SPOOLED_SEQUENCE;
    }

    /**
     * How far ahead of an instance's clock a comment's ID may be. IDs are numbered by the clock of the database
     * that writes them (or main's, for the spool), and an import numbers a post no later than it is imported;
     * an instance whose clock is behind theirs by up to this much still bounds its queries above every ID.
     */
    public static final java.time.Duration CEILING_MARGIN = java.time.Duration.ofDays(1);

    /**
     * An ID above every comment written by {@code now} (this instance's clock): the upper bound of a thread's
     * range of IDs, so that the planner leaves out the partitions made ahead for the months to come.
     */
    public static long ceiling(Instant now) {
        return lowestAt(now.plus(CEILING_MARGIN));
    }

    /** The smallest ID any shard can make at {@code time}: partition bounds and "since" queries use it. */
    public static long lowestAt(Instant time) {
        return (time.toEpochMilli() - EPOCH.toEpochMilli()) << TIME_SHIFT;
    }
}
