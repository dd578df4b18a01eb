package org.parley.moderation;

import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.Record4;
import org.jooq.Records;
import org.jooq.Row2;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.parley.data.AllShards.Source;
import org.parley.data.AllShards;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.data.ShardTables;
import org.parley.db.shard.tables.Comment;
import org.parley.discussion.CommentView.State;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.parley.db.shard.Tables.COMMENT;

/**
 * A site's moderation statistics per UTC day: comments posted, the pending queue's size and the age of its oldest
 * comment at the end of the day (now, for today), and how long comments waited for their first moderation.
 *
 * <p>Comments live in every shard, so each physical database gets ONE statement (a UNION ALL over its shard
 * schemas, inside a CTE aggregated per day); the per-cluster days are merged here. Waiting times come back as
 * per-day arrays of seconds, so the median and 90th percentile are exact across clusters (an array of a month's
 * moderations is small beside the comments themselves).
 *
 * <p>Past queue sizes are reconstructed from {@code comment.first_moderated_at/_from}: a comment was pending at a
 * moment if it was created before it and is still pending untouched, or was pending when first moderated after
 * it. A comment put back to pending later (an undo) counts only until its first moderation.
 */
public final class SiteStats {
    public static final int DAYS = 30;

    /** One UTC day. Durations are null when there is nothing to measure (an empty queue, no moderation). */
    public record Day(LocalDate date, long comments, long pending, Duration oldestPending, int moderated,
                      Duration medianToModeration, Duration p90ToModeration) {
    }

    /** One day's figures on one cluster, or summed over several; waits are seconds, in no order. */
    private record Tally(long comments, long pending, OffsetDateTime oldest, List<Double> waits) {
        Tally plus(Tally other) {
            OffsetDateTime first = oldest == null ? other.oldest
                    : other.oldest == null || oldest.isBefore(other.oldest) ? oldest : other.oldest;
            List<Double> both = new ArrayList<>(waits);
            both.addAll(other.waits);
            return new Tally(comments + other.comments, pending + other.pending, first, both);
        }
    }

    private final AllShards shards;
    private final Clock clock;

    public SiteStats(Databases databases, Clock clock) {
        this.shards = new AllShards(databases);
        this.clock = clock;
    }

    /** The last {@link #DAYS} UTC days, oldest first, today included. */
    public List<Day> lastDays(long siteId) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        LocalDate today = now.toLocalDate();
        OffsetDateTime[] starts = new OffsetDateTime[DAYS];
        OffsetDateTime[] ends = new OffsetDateTime[DAYS];
        for (int i = 0; i < DAYS; i++) {
            starts[i] = today.minusDays(DAYS - 1 - i).atStartOfDay().atOffset(ZoneOffset.UTC);
            ends[i] = i == DAYS - 1 ? now : starts[i].plusDays(1);
        }
        List<Tally> tallies = shards.combined(Source.PRIMARY, cluster -> query(cluster, siteId, starts, ends),
                (a, b) -> {
                    List<Tally> sum = new ArrayList<>();
                    for (int i = 0; i < DAYS; i++) {
                        sum.add(a.get(i).plus(b.get(i)));
                    }
                    return sum;
                });
        List<Day> days = new ArrayList<>();
        for (int i = 0; i < DAYS; i++) {
            Tally day = tallies.get(i);
            double[] sorted = day.waits().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            days.add(new Day(starts[i].toLocalDate(), day.comments(), day.pending(),
                    day.oldest() == null ? null : Duration.between(day.oldest(), ends[i]),
                    sorted.length, percentile(sorted, 0.5), percentile(sorted, 0.9)));
        }
        return days;
    }

    /** Nearest-rank percentile of ascending seconds; null for none. */
    static Duration percentile(double[] ascending, double p) {
        if (ascending.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p * ascending.length);
        return Duration.ofMillis(Math.round(ascending[Math.max(0, rank - 1)] * 1000));
    }

    /**
     * ONE statement for a cluster: the site's comments that can count, from each of its shards, read once
     * (MATERIALIZED), then one row per day, in order. A comment was pending at the end of a day if it was created
     * by then and is still pending untouched, or was pending when first moderated after it.
     */
    private static List<Tally> query(AllShards.Cluster cluster, long siteId, OffsetDateTime[] starts,
                                     OffsetDateTime[] ends) {
        CommonTableExpression<Record4<OffsetDateTime, String, OffsetDateTime, String>> c = DSL.name("c")
                .asMaterialized(cluster.unionAll(shard -> relevant(shard, siteId, starts[0])));
        Field<OffsetDateTime> created = c.field(COMMENT.CREATED_AT);
        Field<String> state = c.field(COMMENT.STATE);
        Field<OffsetDateTime> firstAt = c.field(COMMENT.FIRST_MODERATED_AT);
        Field<String> firstFrom = c.field(COMMENT.FIRST_MODERATED_FROM);
        Table<Record2<OffsetDateTime, OffsetDateTime>> days = days(starts, ends);
        Field<OffsetDateTime> dayStart = days.field("day_start", OffsetDateTime.class);
        Field<OffsetDateTime> dayEnd = days.field("day_end", OffsetDateTime.class);
        String pending = State.PENDING.column();
        Condition pendingAtEnd = created.le(dayEnd).and(state.eq(pending).and(firstAt.isNull())
                .or(firstFrom.eq(pending).and(firstAt.gt(dayEnd))));
        Field<Double> waited = DSL.field("extract(epoch FROM {0} - {1})::float8", SQLDataType.DOUBLE, firstAt, created);
        return cluster.dsl().with(c)
                .select(DSL.field(DSL.selectCount().from(c).where(created.ge(dayStart)).and(created.lt(dayEnd)))
                                .as("comments"),
                        DSL.field(DSL.selectCount().from(c).where(pendingAtEnd)).as("pending"),
                        DSL.field(DSL.select(DSL.min(created)).from(c).where(pendingAtEnd)).as("oldest"),
                        DSL.field(DSL.select(DSL.arrayAgg(waited)).from(c)
                                .where(firstAt.ge(dayStart)).and(firstAt.lt(dayEnd))).as("waits"))
                .from(days)
                .orderBy(dayStart)
                .fetch(Records.mapping((comments, pendingCount, oldest, waits) -> new Tally(comments, pendingCount,
                        oldest, waits == null ? List.of() : List.of(waits))));
    }

    /** The days as a table of (day_start, day_end); today ends now. */
    @SuppressWarnings("unchecked") // jOOQ takes typed rows as varargs: an array of a generic type
    private static Table<Record2<OffsetDateTime, OffsetDateTime>> days(OffsetDateTime[] starts, OffsetDateTime[] ends) {
        Row2<OffsetDateTime, OffsetDateTime>[] rows = new Row2[starts.length];
        for (int i = 0; i < starts.length; i++) {
            rows[i] = DSL.row(DSL.val(starts[i], SQLDataType.TIMESTAMPWITHTIMEZONE),
                    DSL.val(ends[i], SQLDataType.TIMESTAMPWITHTIMEZONE));
        }
        return DSL.values(rows).as("days", "day_start", "day_end");
    }

    /** One shard's part: the comments that can count in the window, found through the site's indexes. */
    private static Select<Record4<OffsetDateTime, String, OffsetDateTime, String>> relevant(int shard, long siteId,
                                                                                          OffsetDateTime from) {
        Comment c = ShardTables.comment(shard).as("c");
        Condition relevant = c.ID.ge(Ids.lowestAt(from.toInstant()))   // posted in the window
                .or(c.STATE.eq(State.PENDING.column()))                   // waiting, however old
                .or(c.FIRST_MODERATED_AT.ge(from));                       // posted earlier, moderated in the window
        return DSL.select(c.CREATED_AT, c.STATE, c.FIRST_MODERATED_AT, c.FIRST_MODERATED_FROM)
                .from(c)
                .where(c.SITE_ID.eq(siteId))
                .and(relevant);
    }
}
