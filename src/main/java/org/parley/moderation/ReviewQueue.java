package org.parley.moderation;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record19;
import org.jooq.Records;
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.parley.data.AllShards.Order;
import org.parley.data.AllShards.Source;
import org.parley.data.AllShards;
import org.parley.data.Databases;
import org.parley.data.ShardTables;
import org.parley.db.shard.tables.Comment;
import org.parley.discussion.CommentView.State;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import static org.parley.db.shard.Tables.COMMENT;

/**
 * A moderation queue across every shard: comments of the moderator's sites live wherever their threads hashed
 * to. Each physical cluster gets ONE statement — a UNION ALL of the same newest-first, limited query over each of
 * its shard schemas — and the clusters are asked in parallel ({@link AllShards}); the results merge by ID, which
 * is time order. So a queue page costs one statement per physical database, whether it holds 8 logical shards or 64.
 */
public final class ReviewQueue {
    public static final int PAGE_SIZE = 50;

    /** One comment as the console lists it. */
    public record Item(long id, long siteId, long threadId, String threadKey, String threadTitle, String authorName,
                       Long authorAccountId, String authorEmail, String bodyHtml, State state, int flagCount, String ip, OffsetDateTime createdAt,
                       boolean shadow, String holdReason, boolean pinned, int depth, boolean threadClosed,
                       boolean threadLocked) {
        /** The moderation buttons this comment gets in its state ({@link QueueActions}). */
        public List<QueueActions.Button> buttons() {
            return QueueActions.forState(state);
        }

        /** The thread's state as the console's thread buttons name it. */
        public ContentModeration.ThreadState threadState() {
            return ContentModeration.ThreadState.of(threadClosed, threadLocked);
        }
    }

    /** A page of a queue in its order, and the ID the next page continues from (null when there is no more). */
    public record Page(List<Item> items, Long nextBefore) {
    }

    private final AllShards shards;

    public ReviewQueue(Databases databases) {
        this.shards = new AllShards(databases);
    }

    /** The queue must be current: the moderator acts on what it shows, so every cluster's primary answers. */
    public Page page(QueueFilter filter) {
        Order order = filter.oldest() ? Order.OLDEST_FIRST : Order.NEWEST_FIRST;
        AllShards.Page<Item> page = shards.page(Source.PRIMARY, order, PAGE_SIZE,
                cluster -> cluster.firstById(shard -> branch(shard, filter, order), COMMENT.ID, order, PAGE_SIZE + 1)
                        .fetch(Records.mapping(ReviewQueue::item)),
                Item::id);
        return new Page(page.items(), page.next());
    }

    private static Item item(Long id, Long siteId, Long threadId, String threadKey, String threadTitle,
                             String authorName, Long authorAccountId, String authorEmail, String bodyHtml, String state, Integer flagCount, String ip,
                             OffsetDateTime createdAt, Boolean shadow, String holdReason, Boolean pinned, Short depth,
                             Boolean threadClosed, Boolean threadLocked) {
        return new Item(id, siteId, threadId, threadKey, threadTitle, authorName, authorAccountId, authorEmail,
                bodyHtml, State.of(state),
                flagCount, ip, createdAt, shadow, holdReason, pinned, depth, threadClosed, threadLocked);
    }

    /** One shard's part: its own page in the queue's order, so each branch stops early on its index. */
    private static Select<Record19<Long, Long, Long, String, String, String, Long, String, String, String, Integer,
            String, OffsetDateTime, Boolean, String, Boolean, Short, Boolean, Boolean>> branch(int shard, QueueFilter filter,
                                                                                   Order order) {
        Comment c = ShardTables.comment(shard).as("c");
        var t = ShardTables.thread(shard).as("t");
        Condition where = c.SITE_ID.in(filter.sites()).and(inQueue(c, filter.queue())).and(narrowing(c, t.KEY, filter));
        if (filter.from() != null) {
            where = where.and(order == Order.OLDEST_FIRST ? c.ID.gt(filter.from()) : c.ID.lt(filter.from()));
        }
        return DSL.select(c.ID, c.SITE_ID, c.THREAD_ID, t.KEY, t.TITLE, c.AUTHOR_NAME, c.AUTHOR_ACCOUNT_ID,
                        c.AUTHOR_EMAIL, c.BODY_HTML,
                        c.STATE, c.FLAG_COUNT, DSL.field("host({0})", String.class, c.IP).as("ip"), c.CREATED_AT,
                        c.SHADOW, c.HOLD_REASON, c.PINNED, c.DEPTH, t.CLOSED, t.LOCKED)
                .from(c)
                .join(t).on(t.ID.eq(c.THREAD_ID))
                .where(where)
                .orderBy(order.of(c.ID))
                .limit(PAGE_SIZE + 1);
    }

    /** The moderator's optional filters: thread key, author, IP range, words in the text. */
    private static Condition narrowing(Comment c, Field<String> threadKey, QueueFilter filter) {
        Condition where = DSL.noCondition();
        if (filter.thread() != null) {
            where = where.and(threadKey.eq(filter.thread()));
        }
        if (filter.author() != null) {
            String author = filter.author().toLowerCase(Locale.ROOT);
            where = where.and(DSL.lower(c.AUTHOR_NAME).eq(author).or(DSL.lower(c.AUTHOR_EMAIL).eq(author)));
        }
        if (filter.ip() != null) {
            where = where.and(DSL.condition("{0} <<= {1}::cidr", c.IP, DSL.val(filter.ip())));
        }
        if (filter.text() != null) {
            // the words as typed: LIKE's wildcards in them are matched literally
            String escaped = filter.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            where = where.and(c.BODY_SOURCE.likeIgnoreCase("%" + escaped + "%", '\\'));
        }
        return where;
    }

    private static Condition inQueue(Comment c, Queue queue) {
        return switch (queue) {
            case PENDING -> c.STATE.eq(State.PENDING.column());
            case SPAM -> c.STATE.eq(State.SPAM.column());
            case DELETED -> c.STATE.eq(State.DELETED.column());
            case FLAGGED -> c.STATE.eq(State.APPROVED.column()).and(c.FLAG_COUNT.gt(0));
            case RECENT -> DSL.noCondition();
        };
    }
}
