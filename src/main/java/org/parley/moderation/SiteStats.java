package org.parley.moderation;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record4;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.jooq.impl.DSL.name;

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

    private static final Field<Long> ID = DSL.field(name("c", "id"), Long.class);
    private static final Field<Long> SITE_ID = DSL.field(name("c", "site_id"), Long.class);
    private static final Field<OffsetDateTime> CREATED = DSL.field(name("c", "created_at"), OffsetDateTime.class);
    private static final Field<String> STATE = DSL.field(name("c", "state"), String.class);
    private static final Field<OffsetDateTime> FIRST_AT = DSL.field(name("c", "first_moderated_at"), OffsetDateTime.class);
    private static final Field<String> FIRST_FROM = DSL.field(name("c", "first_moderated_from"), String.class);

    private static final Field<OffsetDateTime> DAY = DSL.field(name("day_start"), SQLDataType.TIMESTAMPWITHTIMEZONE);
    private static final Field<Long> COMMENTS = DSL.field(name("comments"), SQLDataType.BIGINT);
    private static final Field<Long> PENDING = DSL.field(name("pending"), SQLDataType.BIGINT);
    private static final Field<OffsetDateTime> OLDEST = DSL.field(name("oldest"), SQLDataType.TIMESTAMPWITHTIMEZONE);
    private static final Field<Double[]> WAITS = DSL.field(name("waits"), SQLDataType.DOUBLE.array());

    /** "Pending at the moment {0}", over the CTE's rows. */
    private static final String PENDING_AT = "c.created_at <= {0} AND ((c.state = 'pending' AND c.first_moderated_at IS NULL)"
            + " OR (c.first_moderated_from = 'pending' AND c.first_moderated_at > {0}))";

    private final Databases databases;
    private final ShardScatter scatter;
    private final Clock clock;

    public SiteStats(Databases databases, Clock clock) {
        this.databases = databases;
        this.scatter = new ShardScatter(databases);
        this.clock = clock;
    }

    /** The last {@link #DAYS} UTC days, oldest first, today included. */
    public List<Day> lastDays(long siteId) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        LocalDate today = now.toLocalDate();
        OffsetDateTime[] starts = new OffsetDateTime[DAYS];
        for (int i = 0; i < DAYS; i++) {
            starts[i] = today.minusDays(DAYS - 1 - i).atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        List<List<Record>> perCluster = scatter.each(shards -> query(shards, siteId, starts, now));
        List<Day> days = new ArrayList<>();
        for (int i = 0; i < DAYS; i++) {
            long comments = 0;
            long pending = 0;
            OffsetDateTime oldest = null;
            List<Double> waits = new ArrayList<>();
            for (List<Record> cluster : perCluster) {
                Record r = cluster.get(i);
                comments += r.get(COMMENTS);
                pending += r.get(PENDING);
                OffsetDateTime o = r.get(OLDEST);
                if (o != null && (oldest == null || o.isBefore(oldest))) {
                    oldest = o;
                }
                if (r.get(WAITS) != null) {
                    waits.addAll(Arrays.asList(r.get(WAITS)));
                }
            }
            OffsetDateTime end = i == DAYS - 1 ? now : starts[i].plusDays(1);
            double[] sorted = waits.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            days.add(new Day(starts[i].toLocalDate(), comments, pending,
                    oldest == null ? null : Duration.between(oldest, end),
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

    private List<Record> query(List<Integer> shards, long siteId, OffsetDateTime[] starts, OffsetDateTime now) {
        OffsetDateTime from = starts[0];
        Select<Record4<OffsetDateTime, String, OffsetDateTime, String>> union = null;
        for (int shard : shards) {
            var one = branch(ShardRouter.schemaOf(shard), siteId, from);
            union = union == null ? one : union.unionAll(one);
        }
        Field<OffsetDateTime[]> dayStarts = DSL.val(starts, SQLDataType.TIMESTAMPWITHTIMEZONE.array());
        Field<OffsetDateTime> nowField = DSL.val(now, SQLDataType.TIMESTAMPWITHTIMEZONE);
        // one statement: the site's relevant comments of these shards, then one row per day
        return databases.write(shards.getFirst()).resultQuery("""
                        WITH c AS MATERIALIZED ({0}),
                        days AS (SELECT d AS day_start, least(d + interval '24 hours', {2}) AS day_end
                                 FROM unnest({1}) AS d)
                        SELECT day_start,
                               (SELECT count(*) FROM c WHERE c.created_at >= day_start AND c.created_at < day_end) AS comments,
                               (SELECT count(*) FROM c WHERE %1$s) AS pending,
                               (SELECT min(c.created_at) FROM c WHERE %1$s) AS oldest,
                               (SELECT array_agg(extract(epoch FROM c.first_moderated_at - c.created_at)::float8)
                                  FROM c WHERE c.first_moderated_at >= day_start AND c.first_moderated_at < day_end) AS waits
                        FROM days
                        ORDER BY day_start
                        """.formatted(PENDING_AT.replace("{0}", "day_end")), union, dayStarts, nowField)
                .coerce(DAY, COMMENTS, PENDING, OLDEST, WAITS)
                .fetch()
                .stream().map(r -> (Record) r).toList();
    }

    /** One shard's part: the comments that can count in the window, found through the site's indexes. */
    private static Select<Record4<OffsetDateTime, String, OffsetDateTime, String>> branch(String schema, long siteId,
                                                                                        OffsetDateTime from) {
        Condition relevant = ID.ge(Ids.lowestAt(from.toInstant()))  // posted in the window
                .or(STATE.eq("pending"))                               // waiting, however old
                .or(FIRST_AT.ge(from));                                // posted earlier, moderated in the window
        return DSL.select(CREATED, STATE, FIRST_AT, FIRST_FROM)
                .from(DSL.table(name(schema, "comment")).as("c"))
                .where(SITE_ID.eq(siteId))
                .and(relevant);
    }
}
