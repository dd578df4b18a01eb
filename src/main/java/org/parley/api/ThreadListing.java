package org.parley.api;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.parley.data.AllShards;
import org.parley.data.AllShards.Source;
import org.parley.data.Databases;
import org.parley.data.ShardTables;
import org.parley.discussion.CommentThread;
import org.parley.web.HttpError;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A site's threads, latest activity first (a thread without comments counts from its creation), a page at a time
 * with a keyset cursor {@code MICROS_ID} (the activity in microseconds, PostgreSQL's precision, so no thread falls
 * between two pages). Threads live on every shard, so each cluster answers in ONE statement (a
 * UNION ALL of its shards, each branch ordered and cut on the index {@code thread_site_activity}) and the clusters'
 * pages are merged here in the same order.
 */
final class ThreadListing {
    static final int PAGE = 50;
    private static final Comparator<Listed> NEWEST_ACTIVITY = Comparator.comparing(Listed::activity)
            .thenComparingLong(l -> l.thread().id()).reversed();

    /** A thread and the time it is listed by. */
    record Listed(CommentThread thread, OffsetDateTime activity) {
        String cursor() {
            return ChronoUnit.MICROS.between(Instant.EPOCH, activity.toInstant()) + "_" + thread.id();
        }
    }

    record Page(List<Listed> threads, String next) {
    }

    private final AllShards shards;

    ThreadListing(Databases databases) {
        this.shards = new AllShards(databases);
    }

    Page page(long siteId, String before) {
        Listed after = parse(before);
        List<Listed> merged = new ArrayList<>();
        shards.each(Source.REPLICA, cluster -> {
            Table<Record> all = cluster.unionAll(shard -> branch(shard, siteId, after)).asTable("q");
            Field<OffsetDateTime> activity = all.field("activity", OffsetDateTime.class);
            Field<Long> id = all.field("id", Long.class);
            return cluster.dsl().selectFrom(all).orderBy(activity.desc(), id.desc()).limit(PAGE + 1)
                    .fetch(r -> new Listed(thread(r), r.get(activity)));
        }).forEach(merged::addAll);
        merged.sort(NEWEST_ACTIVITY);
        boolean more = merged.size() > PAGE;
        List<Listed> page = List.copyOf(merged.subList(0, Math.min(PAGE, merged.size())));
        return new Page(page, more ? page.getLast().cursor() : null);
    }

    private static Select<Record> branch(int shard, long siteId, Listed after) {
        var t = ShardTables.thread(shard).as("t");
        Field<OffsetDateTime> activity = DSL.coalesce(t.LAST_ACTIVITY_AT, t.CREATED_AT);
        var where = t.SITE_ID.eq(siteId);
        if (after != null) {
            where = where.and(DSL.row(activity, t.ID).lt(after.activity(), after.thread().id()));
        }
        return DSL.select(List.of(t.ID, t.SITE_ID, t.KEY, t.URL, t.TITLE, t.COMMENT_COUNT, t.LAST_ACTIVITY_AT,
                        t.CLOSED, t.LOCKED, t.VERSION, activity.as("activity")))
                .from(t).where(where).orderBy(activity.desc(), t.ID.desc()).limit(PAGE + 1);
    }

    private static CommentThread thread(Record r) {
        return new CommentThread(r.get("id", Long.class), r.get("site_id", Long.class), r.get("key", String.class),
                r.get("url", String.class), r.get("title", String.class), r.get("comment_count", Integer.class),
                r.get("last_activity_at", OffsetDateTime.class), r.get("closed", Boolean.class),
                r.get("locked", Boolean.class), r.get("version", Long.class));
    }

    /** "MICROS_ID" from a previous page's next, or null for the first page. */
    private static Listed parse(String before) {
        if (before == null || before.isBlank()) {
            return null;
        }
        try {
            int split = before.indexOf('_');
            OffsetDateTime at = Instant.EPOCH.plus(Long.parseLong(before.substring(0, split)), ChronoUnit.MICROS)
                    .atOffset(ZoneOffset.UTC);
            long id = Long.parseLong(before.substring(split + 1));
            return new Listed(new CommentThread(id, 0, "", null, "", 0, null, false, false, 0), at);
        } catch (RuntimeException e) {
            throw HttpError.badRequest("before is the next value of a previous page.", "before");
        }
    }
}
