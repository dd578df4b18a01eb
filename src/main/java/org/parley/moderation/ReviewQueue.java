package org.parley.moderation;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.parley.comment.CommentView.State;
import org.parley.data.Databases;
import org.parley.data.QueryStats;
import org.parley.data.ShardRouter;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.jooq.impl.DSL.name;

/**
 * A moderation queue across every shard: comments of the moderator's sites live wherever their threads hashed
 * to. Each physical cluster gets ONE statement — a UNION ALL of the same newest-first, limited query over each of
 * its shard schemas — and the clusters are asked in parallel; the results merge by ID, which is time order.
 * So a queue page costs one statement per physical database, whether it holds 8 logical shards or 64.
 */
public final class ReviewQueue {
    public static final int PAGE_SIZE = 50;

    /** One comment as the console lists it. */
    public record Item(long id, long siteId, long threadId, String threadKey, String authorName, Long authorAccountId,
                       String bodyHtml, State state, int flagCount, String ip, OffsetDateTime createdAt,
                       boolean shadow, String holdReason, boolean pinned, int depth, boolean threadClosed,
                       boolean threadLocked) {
        /** The thread's state as the console's thread buttons name it. */
        public ContentModeration.ThreadState threadState() {
            return ContentModeration.ThreadState.of(threadClosed, threadLocked);
        }
    }

    /** A page of a queue in its order, and the ID the next page continues from (null when there is no more). */
    public record Page(List<Item> items, Long nextBefore) {
    }

    private static final Field<Long> ID = DSL.field(name("c", "id"), Long.class);
    private static final Field<Long> SITE_ID = DSL.field(name("c", "site_id"), Long.class);
    private static final Field<Long> THREAD_ID = DSL.field(name("c", "thread_id"), Long.class);
    private static final Field<String> KEY = DSL.field(name("t", "key"), String.class);
    private static final Field<String> AUTHOR = DSL.field(name("c", "author_name"), String.class);
    private static final Field<Long> AUTHOR_ID = DSL.field(name("c", "author_account_id"), Long.class);
    private static final Field<String> BODY = DSL.field(name("c", "body_html"), String.class);
    private static final Field<String> STATE = DSL.field(name("c", "state"), String.class);
    private static final Field<Integer> FLAGS = DSL.field(name("c", "flag_count"), Integer.class);
    private static final Field<String> IP = DSL.field("host({0})", String.class, DSL.field(name("c", "ip")));
    private static final Field<OffsetDateTime> CREATED = DSL.field(name("c", "created_at"), OffsetDateTime.class);
    private static final Field<Boolean> SHADOW = DSL.field(name("c", "shadow"), Boolean.class);
    private static final Field<String> EMAIL = DSL.field(name("c", "author_email"), String.class);
    private static final Field<String> SOURCE = DSL.field(name("c", "body_source"), String.class);
    private static final Field<Boolean> PINNED = DSL.field(name("c", "pinned"), Boolean.class);
    private static final Field<Short> DEPTH = DSL.field(name("c", "depth"), Short.class);
    private static final Field<Boolean> CLOSED = DSL.field(name("t", "closed"), Boolean.class);
    private static final Field<Boolean> LOCKED = DSL.field(name("t", "locked"), Boolean.class);
    private static final Field<String> HOLD = DSL.field(name("c", "hold_reason"), String.class);

    private final Databases databases;

    public ReviewQueue(Databases databases) {
        this.databases = databases;
    }

    public Page page(QueueFilter filter) {
        QueryStats stats = QueryStats.current();
        List<Future<List<Item>>> perCluster = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Map.Entry<String, List<Integer>> cluster : shardsByCluster().entrySet()) {
                perCluster.add(pool.submit(() -> {
                    QueryStats.adopt(stats); // count this statement in the request that asked for it
                    try {
                        return query(cluster.getValue(), filter);
                    } finally {
                        QueryStats.end();
                    }
                }));
            }
        }
        List<Item> merged = new ArrayList<>();
        for (Future<List<Item>> result : perCluster) {
            merged.addAll(join(result));
        }
        Comparator<Item> byId = Comparator.comparingLong(Item::id);
        merged.sort(filter.oldest() ? byId : byId.reversed());
        boolean more = merged.size() > PAGE_SIZE;
        List<Item> page = List.copyOf(merged.subList(0, Math.min(PAGE_SIZE, merged.size())));
        return new Page(page, more ? page.getLast().id() : null);
    }

    private Map<String, List<Integer>> shardsByCluster() {
        Map<String, List<Integer>> byCluster = new java.util.TreeMap<>();
        var map = databases.shardMap();
        for (int shard = 0; shard < map.shardCount(); shard++) {
            byCluster.computeIfAbsent(map.clusterOf(shard), c -> new ArrayList<>()).add(shard);
        }
        return byCluster;
    }

    private List<Item> query(List<Integer> shards, QueueFilter filter) {
        Select<Record> union = null;
        for (int shard : shards) {
            Select<Record> one = branch(ShardRouter.schemaOf(shard), filter);
            union = union == null ? one : union.unionAll(one);
        }
        Table<?> all = union.asTable("q");
        DSLContext dsl = databases.write(shards.getFirst());
        return dsl.select(all.fields())
                .from(all)
                .orderBy(order(all.field("id", Long.class), filter))
                .limit(PAGE_SIZE + 1)
                .fetch(r -> new Item(r.get("id", Long.class), r.get("site_id", Long.class),
                        r.get("thread_id", Long.class), r.get("key", String.class), r.get("author_name", String.class),
                        r.get("author_account_id", Long.class), r.get("body_html", String.class),
                        State.of(r.get("state", String.class)), r.get("flag_count", Integer.class),
                        r.get("ip", String.class), r.get("created_at", OffsetDateTime.class),
                        r.get("shadow", Boolean.class), r.get("hold_reason", String.class),
                        r.get("pinned", Boolean.class), r.get("depth", Short.class), r.get("closed", Boolean.class),
                        r.get("locked", Boolean.class)));
    }

    /** One shard's part: its own page in the queue's order, so each branch stops early on its index. */
    private static Select<Record> branch(String schema, QueueFilter filter) {
        Condition where = SITE_ID.in(filter.sites()).and(filter(filter.queue())).and(narrowing(filter));
        if (filter.from() != null) {
            where = where.and(filter.oldest() ? ID.gt(filter.from()) : ID.lt(filter.from()));
        }
        return DSL.select(List.of(ID, SITE_ID, THREAD_ID, KEY, AUTHOR, AUTHOR_ID, BODY, STATE, FLAGS, IP.as("ip"), CREATED, SHADOW, HOLD,
                        PINNED, DEPTH, CLOSED, LOCKED))
                .from(DSL.table(name(schema, "comment")).as("c"))
                .join(DSL.table(name(schema, "thread")).as("t")).on(DSL.field(name("t", "id"), Long.class).eq(THREAD_ID))
                .where(where)
                .orderBy(order(ID, filter))
                .limit(PAGE_SIZE + 1);
    }

    private static SortField<Long> order(Field<Long> id, QueueFilter filter) {
        return filter.oldest() ? id.asc() : id.desc();
    }

    /** The moderator's optional filters: thread key, author, IP range, words in the text. */
    private static Condition narrowing(QueueFilter filter) {
        Condition where = DSL.noCondition();
        if (filter.thread() != null) {
            where = where.and(KEY.eq(filter.thread()));
        }
        if (filter.author() != null) {
            String author = filter.author().toLowerCase(Locale.ROOT);
            where = where.and(DSL.lower(AUTHOR).eq(author).or(DSL.lower(EMAIL).eq(author)));
        }
        if (filter.ip() != null) {
            where = where.and(DSL.condition("{0} <<= {1}::cidr", DSL.field(name("c", "ip")), DSL.val(filter.ip())));
        }
        if (filter.text() != null) {
            // the words as typed: LIKE's wildcards in them are matched literally
            String escaped = filter.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            where = where.and(SOURCE.likeIgnoreCase("%" + escaped + "%", '\\'));
        }
        return where;
    }

    private static Condition filter(Queue queue) {
        return switch (queue) {
            case PENDING -> STATE.eq(State.PENDING.column());
            case SPAM -> STATE.eq(State.SPAM.column());
            case DELETED -> STATE.eq(State.DELETED.column());
            case FLAGGED -> STATE.eq(State.APPROVED.column()).and(FLAGS.gt(0));
            case RECENT -> DSL.noCondition();
        };
    }

    private static List<Item> join(Future<List<Item>> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the queue", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the queue failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
