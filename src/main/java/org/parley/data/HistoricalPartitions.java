package org.parley.data;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Which comments are historical (Disqus's active/historical split): those in monthly partitions older than
 * PARLEY_HISTORICAL_AFTER_MONTHS. The cut is the first instant of a UTC month, exactly where partitions begin
 * ({@code ensure_comment_partitions}), so a partition is historical whole or not at all. Historical rows are
 * read-only for visitors — a thread that old takes no new comments, and its comments take no replies, votes or
 * edits — so those partitions stop changing, and can be moved to cheaper storage or served from caches for good.
 * Decided from the ID alone (it carries its creation time): no SQL.
 */
public final class HistoricalPartitions {
    /** Nothing is ever historical: for tools and tests that do not care. */
    public static final HistoricalPartitions NEVER = new HistoricalPartitions(0, Clock.systemUTC());

    private final int months;
    private final Clock clock;

    /** @param months age in whole months after which a partition is historical; 0 = never */
    public HistoricalPartitions(int months, Clock clock) {
        if (months < 0) {
            throw new IllegalArgumentException("months must not be negative, got " + months);
        }
        this.months = months;
        this.clock = clock;
    }

    /** The lowest ID that is still active: the start of the UTC month {@code months} before the current one. */
    public long activeFrom() {
        if (months == 0) {
            return Long.MIN_VALUE;
        }
        ZonedDateTime monthStart = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC))
                .withDayOfMonth(1).toLocalDate().atStartOfDay(ZoneOffset.UTC).minusMonths(months);
        return Ids.lowestAt(monthStart.toInstant());
    }

    public boolean isHistorical(long id) {
        return id < activeFrom();
    }
}
