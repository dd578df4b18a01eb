package org.parley.feed;

import org.jooq.Record7;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.parley.data.AllShards;
import org.parley.data.AllShards.Order;
import org.parley.data.AllShards.Source;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.data.ShardTables;
import org.parley.discussion.CommentThread;
import org.parley.discussion.CommentView.State;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import static org.parley.db.shard.Tables.COMMENT;

/**
 * The comments a feed shows: visible ones (approved, not shadowed), newest first, {@link #SIZE} at most. A thread's
 * come from its shard in one statement on the index {@code comment_thread_visible}; a site's from every shard, one
 * statement per cluster (AllShards), each branch on {@code comment_site_state}.
 */
final class FeedQueries {
    static final int SIZE = 50;

    private final Databases databases;
    private final AllShards shards;

    FeedQueries(Databases databases) {
        this.databases = databases;
        this.shards = new AllShards(databases);
    }

    /**
     * A thread's newest visible comments. The IDs are bounded on both sides and the state written into the SQL, so
     * the one generic plan PostgreSQL may keep for the statement still reads the thread's range of the visible-comment
     * index (comment_thread_visible, partial on state = 'approved') and prunes the other months
     * (docs/scale-out.md, "Plans").
     */
    List<FeedEntry> thread(CommentThread thread) {
        return databases.read(thread.shard())
                .select(COMMENT.ID, COMMENT.AUTHOR_NAME, COMMENT.BODY_HTML, COMMENT.CREATED_AT).from(COMMENT)
                .where(COMMENT.THREAD_ID.eq(thread.id())).and(COMMENT.ID.ge(thread.id()))
                .and(COMMENT.ID.lt(Ids.ceiling(Instant.now())))
                .and(COMMENT.STATE.eq(DSL.inline(State.APPROVED.column()))).and(COMMENT.SHADOW.isFalse())
                .orderBy(COMMENT.ID.desc()).limit(SIZE)
                .fetch(r -> new FeedEntry(r.value1(), thread.key(), thread.title(), thread.url(), r.value2(), r.value3(),
                        r.value4()));
    }

    List<FeedEntry> site(long siteId) {
        return shards.page(Source.REPLICA, Order.NEWEST_FIRST, SIZE,
                cluster -> cluster.firstById(shard -> branch(shard, siteId), COMMENT.ID, Order.NEWEST_FIRST, SIZE)
                        .fetch(r -> new FeedEntry(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                                r.value6(), r.value7())),
                FeedEntry::id).items();
    }

    private static Select<Record7<Long, String, String, String, String, String, OffsetDateTime>> branch(int shard,
                                                                                                     long siteId) {
        var c = ShardTables.comment(shard).as("c");
        var t = ShardTables.thread(shard).as("t");
        return DSL.select(c.ID, t.KEY, t.TITLE, t.URL, c.AUTHOR_NAME, c.BODY_HTML, c.CREATED_AT)
                .from(c).join(t).on(t.ID.eq(c.THREAD_ID))
                .where(c.SITE_ID.eq(siteId)).and(c.STATE.eq(State.APPROVED.column())).and(c.SHADOW.isFalse())
                .orderBy(c.ID.desc()).limit(SIZE);
    }
}
