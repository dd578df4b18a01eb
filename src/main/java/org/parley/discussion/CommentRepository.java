package org.parley.discussion;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.parley.data.Ids;
import org.parley.data.IndexWalk;
import org.parley.data.RenderedOnce;
import org.parley.data.RowReader;
import org.parley.db.shard.Routines;
import org.parley.discussion.CommentView.State;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.parley.data.RenderedOnce.slot;
import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.COMMENT_REVISION;
import static org.parley.db.shard.Tables.FLAG;
import static org.parley.db.shard.Tables.THREAD;
import static org.parley.db.shard.Tables.VOTE;

/**
 * The SQL of comments, votes and flags, all inside one thread's shard. Every query names the thread and bounds
 * the ID from below by the thread's own ID (comments are younger than their thread), so PostgreSQL skips the
 * partitions that are older than the thread; the page's statements also bound their top-level comments from
 * above ({@link InThread}), so those skip the months made ahead as well (a subtree's read does not: see
 * {@link InThread#holdsFromItsStart}).
 */
public final class CommentRepository {
    /** Top-level comments per page; their replies come along whole. */
    public static final int PAGE_SIZE = 50;

    /** One page of a thread: its comments in reading order, and where the next page starts. */
    public record Page(List<CommentView> comments, Cursor next) {
    }

    /** What a write needs to know about the comment it touches, read under a row lock. */
    public record Target(long id, long siteId, long threadId, Long parentId, Long authorAccountId, State state, String path,
                         long rootId, int depth, java.time.OffsetDateTime createdAt, boolean shadow,
                         boolean threadLocked, boolean notifyReplies) {
    }

    /** At most this many comments are pinned in a thread: the first page must still have room for the rest. */
    public static final int MAX_PINNED = 3;

    /**
     * One statement, whatever the thread's size: a keyset page of top-level comments (plus one to know whether
     * there is more), joined to every comment under them in path order, with the viewer's votes.
     */
    public Page page(DSLContext shard, CommentThread thread, Sort sort, Cursor after, Long viewerAccountId) {
        Map<String, Object> values = new HashMap<>();
        InThread.bind(values, thread.id());
        if (after != null) {
            values.put("afterId", after.id());
            if (sort == Sort.BEST) {
                values.put("afterScore", after.score());
            }
        }
        if (viewerAccountId != null) {
            values.put("viewer", viewerAccountId);
        }
        return assemble(PAGE[pageShape(sort, after != null, viewerAccountId != null)]
                .fetchRows(shard, values, CommentRepository::pageRow));
    }

    /**
     * {@link #page}'s statement, rendered once per sort, first or later page, and kind of viewer: every page miss
     * runs it, and building and rendering it was about a twelfth of a cache-off page's CPU (JFR, issue 18).
     */
    private static final RenderedOnce<Record>[] PAGE = pageShapes();

    private static int pageShape(Sort sort, boolean later, boolean viewer) {
        return (sort.ordinal() * 2 + (later ? 1 : 0)) * 2 + (viewer ? 1 : 0);
    }

    @SuppressWarnings("unchecked")
    private static RenderedOnce<Record>[] pageShapes() {
        RenderedOnce<Record>[] shapes = new RenderedOnce[Sort.values().length * 4];
        for (Sort sort : Sort.values()) {
            for (boolean later : new boolean[] {false, true}) {
                for (boolean viewer : new boolean[] {false, true}) {
                    shapes[pageShape(sort, later, viewer)] = RenderedOnce.query("CommentRepository.page." + sort
                            + (later ? ".later" : "") + (viewer ? ".viewer" : ""), () -> {
                        Field<Long> viewerId = viewer ? slot("viewer", COMMENT.AUTHOR_ACCOUNT_ID) : null;
                        return pageQuery(InThread.slots(), sort,
                                later ? slot("afterScore", COMMENT.SCORE) : null,
                                later ? slot("afterId", COMMENT.ID) : null, null, null, PAGE_SIZE + 1, viewerId,
                                DSL.noCondition());
                    });
                }
            }
        }
        return shapes;
    }

    /**
     * Where the page that shows a comment starts, in a sort, with pages cut as {@link #page} cuts them for a viewer
     * (null: the shared page every guest gets): empty for the first page, else the cursor of the page's "load
     * more" link. A reply is shown under its top-level comment, so it is on that comment's page.
     *
     * <p>The first page holds the pinned comments and the first {@code PAGE_SIZE − pinned} others; every later
     * page the next {@code PAGE_SIZE}. So counting the visible unpinned top-level comments before the comment's
     * top-level one gives its page, and the cursor is the one at that page's start, found by its offset: two
     * statements past the first page, one on it, whatever the thread's size (each reads an index range as long as
     * the count; the page query itself reads that far too once the visitor has clicked that often). A comment
     * of another thread, or none, is reported on the first page.
     */
    public Optional<Cursor> pageOf(DSLContext shard, long threadId, long commentId, Sort sort, Long viewerAccountId) {
        var comment = COMMENT.as("c");
        var root = COMMENT.as("r");
        InThread thread = InThread.of(threadId);
        Condition topLevel = visibleTopLevel(thread, viewerAccountId == null ? null : DSL.val(viewerAccountId));
        Field<Integer> pinned = pinnedCount(topLevel);
        Field<Integer> before = DSL.selectCount()
                .from(COMMENT)
                .where(topLevel)
                .and(DSL.not(DSL.condition(COMMENT.PINNED)))
                .and(comesBefore(sort, root.SCORE, root.ID))
                .asField("before");
        var found = shard.select(root.PINNED, pinned, before)
                .from(comment)
                .join(root).on(root.ID.eq(comment.ROOT_ID)).and(thread.holds(root))
                .where(comment.ID.eq(commentId))
                .and(thread.holds(comment))
                .fetchOptional();
        if (found.isEmpty() || found.get().get(root.PINNED)) {
            return Optional.empty(); // pinned comments open the first page
        }
        int onFirstPage = PAGE_SIZE - found.get().get(pinned);
        int preceding = found.get().get(before);
        if (preceding < onFirstPage) {
            return Optional.empty();
        }
        // the last comment of the page before: the first page's last, or PAGE_SIZE further for each page after it
        int offset = onFirstPage + (preceding - onFirstPage) / PAGE_SIZE * PAGE_SIZE - 1;
        return shard.select(COMMENT.SCORE, COMMENT.ID)
                .from(COMMENT)
                .where(topLevel)
                .and(DSL.not(DSL.condition(COMMENT.PINNED)))
                .orderBy(topOrder(sort, COMMENT.SCORE, COMMENT.ID))
                .offset(offset)
                .limit(1)
                .fetchOptional(r -> new Cursor(r.get(COMMENT.SCORE), r.get(COMMENT.ID)));
    }

    /**
     * A page that shows a comment the moment it was written, for the redirect after posting, in work bounded by
     * the page size whatever the thread's length: empty when the comment's top-level one is on the first page,
     * else the cursor that makes it the last of its page, the {@value #PAGE_SIZE} − 1 before it shown above it.
     *
     * <p>{@link #pageOf} gives the page "load more" cuts, which a permalink must (the same address for everyone,
     * cached), but counting everything before the comment costs as much as the thread is long: on a busy thread
     * that count was most of the database's work per post (issue 18). The poster's page after a post is
     * rendered for them anyway ({@code posted=}), so nothing is lost by cutting it elsewhere, and a new comment
     * in the default sort is the thread's last, so it ends its page either way. The redirect uses it in the best
     * sort; in the others {@link #pageEndingAtTopLevel} finds the same page in one statement.
     */
    public Optional<Cursor> pageEndingAt(DSLContext shard, long threadId, long commentId, Sort sort,
                                         Long viewerAccountId) {
        int shape = sort.ordinal() * 2 + (viewerAccountId == null ? 0 : 1);
        Map<String, Object> values = new HashMap<>();
        InThread.bind(values, threadId);
        values.put("comment", commentId);
        if (viewerAccountId != null) {
            values.put("viewer", viewerAccountId);
        }
        var found = ENDING_AT[shape].fetchOptional(shard, values);
        // columns: the top-level comment's pinned, score and id; the pinned and preceding counts
        if (found.isEmpty() || found.get().get(0, Boolean.class)
                || found.get().get(4, Integer.class) < PAGE_SIZE - found.get().get(3, Integer.class)) {
            return Optional.empty(); // on the first page
        }
        // walking back from the comment's top-level one: the page starts after the PAGE_SIZE-th before it, or
        // after the earliest when fewer come before (those were on the first page too; they are shown again)
        values.remove("comment");
        values.put("back", found.get().get(4, Integer.class) - 1);
        values.put("root", found.get().get(2, Long.class));
        if (sort == Sort.BEST) {
            values.put("score", found.get().get(1, Integer.class));
        }
        return STARTING_BEFORE[shape].fetchOptional(shard, values)
                .map(r -> new Cursor(r.get(COMMENT.SCORE), r.get(COMMENT.ID)));
    }

    /**
     * {@link #pageEndingAt} from the comment's top-level one ({@code rootId}: the comment itself, or the one its
     * replies hang from), which the write already knows: in one statement instead of two in the oldest and newest
     * sorts. With the top-level comment known, nothing has to be joined to find it, and one window of the up to
     * {@value #PAGE_SIZE} top-level comments before it gives both their count and the page's start (its earliest in
     * the sort). Every post runs this; the general first statement was planned afresh on most posts (custom plans:
     * PostgreSQL costs its generic plan too high), and that planning was most of a post's time in PostgreSQL (issue
     * 18, bench/README "One statement for the redirect"). Best keeps the general statements: written as one, its
     * generic plan (EXPLAIN under force_generic_plan, as QueryPlansIT runs it) read the thread's top-level comments by
     * ID and sorted them all, instead of walking the score index.
     */
    public Optional<Cursor> pageEndingAtTopLevel(DSLContext shard, long threadId, long rootId, Sort sort,
                                                 Long viewerAccountId) {
        if (sort == Sort.BEST) {
            return pageEndingAt(shard, threadId, rootId, sort, viewerAccountId);
        }
        Map<String, Object> values = new HashMap<>();
        InThread.bind(values, threadId);
        values.put("root", rootId);
        values.put("window", PAGE_SIZE);
        if (viewerAccountId != null) {
            values.put("viewer", viewerAccountId);
        }
        // columns: how many come before (up to a page), the earliest of them in the sort, how many are pinned, and
        // whether the top-level comment is pinned itself (null: not in this thread)
        // index walks only: a plan kept from when the partition was small, or that takes the thread for a few rows,
        // would otherwise sort every earlier top-level comment of the thread on every post (IndexWalk)
        RenderedOnce<Record> statement = TOP_LEVEL_ENDING_AT[sort.ordinal() * 2 + (viewerAccountId == null ? 0 : 1)];
        Record found = IndexWalk.run(shard, tx -> statement.fetch(tx, values).getFirst());
        if (!Boolean.FALSE.equals(found.get(3, Boolean.class))
                || found.get(0, Integer.class) < PAGE_SIZE - found.get(2, Integer.class)) {
            return Optional.empty(); // on the first page: pinned ones open it; or not in this thread, as pageEndingAt
        }
        return Optional.of(new Cursor(0, found.get(1, Long.class)));
    }

    /** {@link #pageEndingAtTopLevel}'s statement per sort (oldest and newest; best has none) and kind of viewer. */
    private static final RenderedOnce<Record>[] TOP_LEVEL_ENDING_AT = topLevelEndingAtShapes();

    @SuppressWarnings("unchecked")
    private static RenderedOnce<Record>[] topLevelEndingAtShapes() {
        RenderedOnce<Record>[] shapes = new RenderedOnce[Sort.values().length * 2];
        for (Sort sort : List.of(Sort.OLDEST, Sort.NEWEST)) {
            for (boolean viewer : new boolean[] {false, true}) {
                shapes[sort.ordinal() * 2 + (viewer ? 1 : 0)] = RenderedOnce.query("CommentRepository.pageEndingAt.top."
                        + sort + (viewer ? ".viewer" : ""), () -> topLevelEndingAtShape(sort, viewer));
            }
        }
        return shapes;
    }

    /**
     * Walking back from a top-level comment along the thread's ID index: the {@value #PAGE_SIZE} unpinned ones
     * before it at most, counted, with the earliest of them; how many are pinned; whether it is pinned itself. The
     * window's limit is a parameter, as the page's is: with it written in, a generic plan, costed for an average
     * thread smaller than a page, read every earlier row of the thread and sorted them instead of walking back and
     * stopping.
     */
    private static org.jooq.ResultQuery<? extends Record> topLevelEndingAtShape(Sort sort, boolean viewer) {
        InThread thread = InThread.slots();
        Field<Long> root = slot("root", COMMENT.ID);
        Condition topLevel = visibleTopLevel(thread, viewer ? slot("viewer", COMMENT.AUTHOR_ACCOUNT_ID) : null);
        Table<?> window = DSL.select(COMMENT.ID)
                .from(COMMENT)
                .where(topLevel)
                .and(DSL.not(DSL.condition(COMMENT.PINNED)))
                .and(comesBefore(sort, null, root))
                .orderBy(backwards(sort))
                .limit(slot("window", Integer.class))
                .asTable("w");
        Field<Long> id = window.field(COMMENT.ID);
        Field<Integer> pinned = pinnedCount(topLevel);
        var top = COMMENT.as("top");
        // found by its ID alone, its thread checked in the select list: with the thread in the WHERE too, a generic
        // plan made while the partition was small found it through the (thread, root, path) index, reading the
        // whole thread on every post (10 ms at 13 000 comments in compare.sh's POST series)
        Field<Boolean> rootPinned = DSL.field(DSL.select(DSL.when(top.THREAD_ID.eq(thread.threadId()), top.PINNED))
                .from(top).where(top.ID.eq(root)).and(top.ID.ge(thread.threadId())).and(top.ID.lt(thread.ceiling())))
                .as("root_pinned");
        return DSL.select(DSL.count(), sort == Sort.OLDEST ? DSL.min(id) : DSL.max(id), pinned, rootPinned)
                .from(window);
    }

    /**
     * {@link #pageEndingAt}'s two statements, rendered once per sort and kind of viewer (index sort × 2 + 1 when a
     * viewer's own comments count): the redirect ran them on every post (now only in the best sort), and rendering
     * them was an eighth of a post's CPU (issue 18's profile).
     */
    private static final RenderedOnce<Record>[] ENDING_AT = endingAtShapes(true);
    private static final RenderedOnce<Record>[] STARTING_BEFORE = endingAtShapes(false);

    @SuppressWarnings("unchecked")
    private static RenderedOnce<Record>[] endingAtShapes(boolean first) {
        RenderedOnce<Record>[] shapes = new RenderedOnce[Sort.values().length * 2];
        for (Sort sort : Sort.values()) {
            for (boolean viewer : new boolean[] {false, true}) {
                String name = "CommentRepository.pageEndingAt." + (first ? "found" : "start") + "." + sort
                        + (viewer ? ".viewer" : "");
                shapes[sort.ordinal() * 2 + (viewer ? 1 : 0)] = RenderedOnce.query(name,
                        () -> first ? endingAtShape(sort, viewer) : startingBeforeShape(sort, viewer));
            }
        }
        return shapes;
    }

    /** The comment's top-level one (pinned, score, id), how many are pinned and how many come before it. */
    private static org.jooq.ResultQuery<? extends Record> endingAtShape(Sort sort, boolean viewer) {
        InThread thread = InThread.slots();
        var comment = COMMENT.as("c");
        var root = COMMENT.as("r");
        Condition topLevel = visibleTopLevel(thread, viewer ? slot("viewer", COMMENT.AUTHOR_ACCOUNT_ID) : null);
        Condition before = topLevel.and(DSL.not(DSL.condition(COMMENT.PINNED)))
                .and(comesBefore(sort, root.SCORE, root.ID));
        // how many come before, counted no further than a page: enough to know whether it is the first page
        Field<Integer> preceding = DSL.selectCount()
                .from(DSL.select(DSL.one()).from(COMMENT).where(before).limit(DSL.inline(PAGE_SIZE)))
                .asField("preceding");
        Field<Integer> pinned = pinnedCount(topLevel);
        return DSL.select(root.PINNED, root.SCORE, root.ID, pinned, preceding)
                .from(comment)
                .join(root).on(root.ID.eq(comment.ROOT_ID)).and(thread.holds(root))
                .where(comment.ID.eq(slot("comment", COMMENT.ID)))
                .and(thread.holds(comment));
    }

    /** The top-level comment {@code back} places before the one with {@code root}'s score and id, walking back. */
    private static org.jooq.ResultQuery<? extends Record> startingBeforeShape(Sort sort, boolean viewer) {
        Condition topLevel = visibleTopLevel(InThread.slots(), viewer ? slot("viewer", COMMENT.AUTHOR_ACCOUNT_ID) : null);
        return DSL.select(COMMENT.SCORE, COMMENT.ID)
                .from(COMMENT)
                .where(topLevel)
                .and(DSL.not(DSL.condition(COMMENT.PINNED)))
                .and(comesBefore(sort, slot("score", COMMENT.SCORE), slot("root", COMMENT.ID)))
                .orderBy(backwards(sort))
                .offset(slot("back", Integer.class))
                .limit(DSL.inline(1));
    }

    /** How many of the top-level comments are pinned (through the partial index comment_pinned; at most a few). */
    private static Field<Integer> pinnedCount(Condition topLevel) {
        return DSL.selectCount()
                .from(DSL.select(DSL.one()).from(COMMENT).where(topLevel).and(DSL.condition(COMMENT.PINNED))
                        .limit(DSL.inline(MAX_PINNED)))
                .asField("pinned");
    }

    /** The thread's top-level comments this viewer sees (null: as every guest sees them). */
    private static Condition visibleTopLevel(InThread thread, Field<Long> viewerAccountId) {
        return thread.holds(COMMENT).and(COMMENT.DEPTH.eq(DSL.inline((short) 0))).and(visibleTo(viewerAccountId));
    }

    /**
     * A thread's comments by where their IDs lie: from the thread's own (a comment is never older than its
     * thread) to {@link Ids#ceiling} (none is newer than now, give or take the clocks). The lower bound lets
     * PostgreSQL leave out the months before the thread; the upper one, the months that partition maintenance
     * makes ahead. Those are empty, but each one the planner has to consider costs: with the three made ahead,
     * planning the page's statement (then planned on every run, docs/scale-out.md "Plans") took longer than running it
     * (2.2 against 0.9 ms on the benchmark's data; 0.55 and 0.47 ms with this bound, issue 18). The page's subtrees
     * now do without the upper bound ({@link #holdsFromItsStart}), so its custom plans (a connection's first runs)
     * consider those months again; PostgreSQL keeps its generic plan after that (planned 57–100 times in 8 000–9 000
     * runs in bench/run).
     */
    private record InThread(Field<Long> threadId, Field<Long> ceiling) {
        /** As named placeholders of a statement rendered once: {@link #bind} gives their values. */
        static InThread slots() {
            return new InThread(slot("thread", COMMENT.THREAD_ID), slot("ceiling", COMMENT.ID));
        }

        static InThread of(long threadId) {
            return new InThread(DSL.val(threadId), DSL.val(Ids.ceiling(Instant.now())));
        }

        static void bind(Map<String, Object> values, long threadId) {
            values.put("thread", threadId);
            values.put("ceiling", Ids.ceiling(Instant.now()));
        }

        Condition holds(org.parley.db.shard.tables.Comment comment) {
            return holdsFromItsStart(comment).and(comment.ID.lt(ceiling));
        }

        /**
         * The same without the upper bound, for a top-level comment's subtree ({@link #pageQuery}): with both
         * bounds parameters, the generic plan costed the ID range as nearly empty in a small partition and read
         * every comment of the thread by ID for each top-level one (2.6 ms a page of 200 comments, against 0.3 by
         * the (thread, root, path) index). The months made ahead are empty, so leaving them in costs little.
         */
        Condition holdsFromItsStart(org.parley.db.shard.tables.Comment comment) {
            return comment.THREAD_ID.eq(threadId).and(comment.ID.ge(threadId));
        }
    }

    /** The sort's order of top-level comments, reversed: from a comment back towards the first page. */
    private static List<SortField<?>> backwards(Sort sort) {
        return switch (sort) {
            case OLDEST -> List.of(COMMENT.ID.desc());
            case NEWEST -> List.of(COMMENT.ID.asc());
            case BEST -> List.of(COMMENT.SCORE.asc(), COMMENT.ID.asc());
        };
    }

    /** Top-level comments shown before the one with this score and id, in the sort's order. */
    private static Condition comesBefore(Sort sort, Field<Integer> score, Field<Long> id) {
        return switch (sort) {
            case OLDEST -> COMMENT.ID.lt(id);
            case NEWEST -> COMMENT.ID.gt(id);
            case BEST -> DSL.row(COMMENT.SCORE, COMMENT.ID).gt(score, id);
        };
    }

    /**
     * What one viewer sees differently on a page (the thread page's overlay): of the comments under the page's
     * top-level comments (after {@code after}, up to and including {@code until}, the page's last one; to the
     * end when null), only the viewer's own — approved, pending or shadowed — and those they voted on, with their
     * vote. One statement reading the same index ranges as the page, but returning only the viewer's few rows, in
     * page order then path order (a parent before its replies).
     */
    public List<CommentView> viewerRows(DSLContext shard, long threadId, Sort sort, Cursor after, Cursor until,
                                        long viewerAccountId) {
        // the shared page's 50 plus the viewer's own hidden top-level comments in the same range
        var rows = shard.fetchLazy(pageQuery(InThread.of(threadId), sort, after == null ? null : DSL.val(after.score()),
                after == null ? null : DSL.val(after.id()), until == null ? null : DSL.val(until.score()),
                until == null ? null : DSL.val(until.id()), 2 * PAGE_SIZE, DSL.val(viewerAccountId),
                COMMENT.AUTHOR_ACCOUNT_ID.eq(viewerAccountId).or(VOTE.VALUE.isNotNull())));
        return RowReader.readAll(rows.resultSet(), CommentRepository::pageRow).stream().map(PageRow::view).toList();
    }

    /** The page's top-level comments, as the derived tables "ordinary", "pinned" and "top" name them. */
    private static final Field<Long> TOP_ID = COMMENT.ID.as("top_id");
    private static final Field<Integer> TOP_SCORE = COMMENT.SCORE.as("top_score");
    private static final Field<Boolean> TOP_PINNED = COMMENT.PINNED.as("top_pinned");

    /**
     * The page's statement, of values given as fields (placeholders of a shape, or values): the keyset window of
     * top-level comments ("top"), and for each of them its visible subtree ({@code rows}: further conditions on the
     * subtree's comments and the viewer's votes). {@code afterId} null for the first page, {@code untilId} null
     * for no end, {@code viewerAccountId} null for the shared page. Its columns are read by position
     * ({@link #pageRow}, {@link #assemble}).
     *
     * <p>Each subtree is a LATERAL subquery that PostgreSQL may not flatten ({@code OFFSET 0}), so it is read by
     * the thread's (thread, root, path) index once per top-level comment, whatever the statistics say. As a plain
     * join, the generic plan PostgreSQL settles on for a prepared statement is costed for the partition's average
     * thread: where one thread is most of its partition (a shard's new month, a viral thread), that plan read
     * every comment of the thread and hash-joined them, 24 ms of PostgreSQL a page of a 50 000-comment thread
     * instead of 0.3 (issue 18, bench/README "A long thread's generic plan").
     */
    private static org.jooq.ResultQuery<Record> pageQuery(InThread thread, Sort sort, Field<Integer> afterScore,
                                                         Field<Long> afterId, Field<Integer> untilScore,
                                                         Field<Long> untilId, int limit, Field<Long> viewerAccountId,
                                                         Condition rows) {
        Condition base = thread.holds(COMMENT);
        // literals, not bind values: a prepared statement's generic plan can use the partial indexes (WHERE depth = 0,
        // WHERE pinned) only when the query says so in its text
        Condition topLevel = base.and(COMMENT.DEPTH.eq(DSL.inline((short) 0))).and(visibleTo(viewerAccountId));
        // the ordinary order walks comment_top_by_id / comment_top_by_score and stops at the limit: an ORDER BY
        // that put pinned first would have to read and sort every top-level comment of the thread instead
        Table<?> ordinary = DSL.select(TOP_ID, TOP_SCORE, TOP_PINNED)
                .from(COMMENT)
                .where(topLevel)
                .and(DSL.not(DSL.condition(COMMENT.PINNED)))
                .and(keyset(sort, afterScore, afterId))
                .and(upTo(sort, untilScore, untilId))
                .orderBy(topOrder(sort, COMMENT.SCORE, COMMENT.ID))
                .limit(limit)
                .asTable("ordinary");
        Table<?> top;
        if (afterId == null) {
            // pinned comments open the first page (at most MAX_PINNED, found through the partial index comment_pinned);
            // later pages continue the ordinary order without them
            Table<?> pinned = DSL.select(TOP_ID, TOP_SCORE, TOP_PINNED)
                    .from(COMMENT)
                    .where(topLevel)
                    .and(DSL.condition(COMMENT.PINNED))
                    .limit(DSL.inline(MAX_PINNED))
                    .asTable("pinned");
            top = DSL.select(pinned.fields()).from(pinned)
                    .unionAll(DSL.select(ordinary.fields()).from(ordinary)).asTable("top");
        } else {
            top = DSL.select(ordinary.fields()).from(ordinary).asTable("top");
        }
        Field<Long> topId = top.field(TOP_ID);
        Field<Integer> topScore = top.field(TOP_SCORE);
        Field<Boolean> topPinned = top.field(TOP_PINNED);
        Field<Short> viewerVote = viewerAccountId == null ? DSL.inline((short) 0) : DSL.coalesce(VOTE.VALUE, (short) 0);

        var subtreeColumns = DSL.select(COMMENT.ID, COMMENT.PARENT_ID, COMMENT.DEPTH, COMMENT.AUTHOR_ACCOUNT_ID,
                        COMMENT.AUTHOR_NAME, COMMENT.AUTHOR_AVATAR, COMMENT.BODY_HTML, COMMENT.STATE, COMMENT.SCORE,
                        COMMENT.UPVOTES, COMMENT.DOWNVOTES, COMMENT.REPLY_COUNT, COMMENT.CREATED_AT, COMMENT.EDITED_AT,
                        COMMENT.PINNED, viewerVote.as("viewer_vote"), COMMENT.PATH)
                .from(COMMENT);
        var subtreeFrom = viewerAccountId == null ? subtreeColumns : subtreeColumns.leftJoin(VOTE)
                .on(VOTE.COMMENT_ID.eq(COMMENT.ID).and(VOTE.ACCOUNT_ID.eq(viewerAccountId)));
        Table<?> subtree = DSL.lateral(subtreeFrom
                .where(thread.holdsFromItsStart(COMMENT))
                .and(COMMENT.ROOT_ID.eq(topId))
                .and(visibleTo(viewerAccountId))
                .and(rows)
                .offset(DSL.inline(0)) // a fence: never flattened into a join the planner may hash
                .asTable("subtree"));
        Field<?>[] subtreeFields = subtree.fields();
        // every column of the subtree but its last, the path, which only orders the rows
        List<Field<?>> columns = new ArrayList<>(List.of(subtreeFields).subList(0, subtreeFields.length - 1));
        columns.add(topId);
        columns.add(topScore);
        List<SortField<?>> order = new ArrayList<>(pinnedFirst(topPinned, topOrder(sort, topScore, topId)));
        order.add(subtree.field(COMMENT.PATH).asc());
        return DSL.select(columns).from(top).crossJoin(subtree).orderBy(order);
    }

    /** A row of the page's statement: a comment, and the top-level comment whose subtree it is in. */
    private record PageRow(CommentView view, long rootId, int rootScore) {
    }

    /**
     * A row of the page's statement, whose columns {@link #pageQuery} lists, read by position straight from the
     * driver (RowReader): 1 id, 2 parent, 3 depth, 4 author's account, 5 author's name, 6 avatar, 7 body's bytes,
     * 8 state, 9 score, 10 upvotes, 11 downvotes, 12 replies, 13 written, 14 edited, 15 pinned, 16 the viewer's
     * vote, then the top-level comment's 17 id and 18 score.
     */
    private static PageRow pageRow(ResultSet row) throws SQLException {
        var view = new CommentView(row.getLong(1), RowReader.nullableLong(row, 2), row.getShort(3),
                RowReader.nullableLong(row, 4), row.getString(5), row.getString(6), row.getBytes(7),
                State.of(row.getString(8)), row.getInt(9), row.getInt(10), row.getInt(11), row.getInt(12),
                row.getObject(13, OffsetDateTime.class), row.getObject(14, OffsetDateTime.class), row.getShort(16),
                row.getBoolean(15));
        return new PageRow(view, row.getLong(17), row.getInt(18));
    }

    /** Drops the probe row's subtree and any reply whose ancestor the viewer cannot see. */
    private static Page assemble(List<PageRow> rows) {
        List<CommentView> comments = new ArrayList<>();
        Set<Long> shown = new HashSet<>();
        Set<Long> roots = new HashSet<>();
        Cursor next = null;
        Cursor last = null;
        for (PageRow r : rows) {
            CommentView view = r.view();
            if (!roots.contains(r.rootId())) {
                if (roots.size() == PAGE_SIZE) {
                    next = last; // a 51st top-level comment exists: there is another page
                    break;
                }
                roots.add(r.rootId());
                if (!view.pinned()) {
                    last = new Cursor(r.rootScore(), r.rootId()); // later pages continue after the last unpinned one
                }
            }
            if (view.parentId() != null && !shown.contains(view.parentId())) {
                continue; // its parent is hidden from this viewer (pending, spam): so is the reply
            }
            shown.add(view.id());
            comments.add(view);
        }
        return new Page(comments, next);
    }

    /**
     * Approved comments that are not shadowed, removed ones that still have replies (as tombstones), and the
     * viewer's own pending and shadowed ones. A guest's shadowed comment is therefore shown to nobody: a guest
     * has no identity to recognise them by (an IP or a cookie would leak it to others behind the same one).
     */
    private static Condition visibleTo(Long viewerAccountId) {
        return visibleTo(viewerAccountId == null ? null : DSL.val(viewerAccountId));
    }

    private static Condition visibleTo(Field<Long> viewerAccountId) {
        Condition visible = COMMENT.STATE.eq(State.APPROVED.column()).and(COMMENT.SHADOW.isFalse())
                .or(COMMENT.STATE.eq(State.DELETED.column()).and(COMMENT.REPLY_COUNT.gt(0)));
        if (viewerAccountId != null) {
            visible = visible.or(COMMENT.STATE.in(State.PENDING.column(), State.APPROVED.column())
                    .and(COMMENT.AUTHOR_ACCOUNT_ID.eq(viewerAccountId)));
        }
        return visible;
    }

    private static Condition keyset(Sort sort, Field<Integer> afterScore, Field<Long> afterId) {
        if (afterId == null) {
            return DSL.noCondition();
        }
        return switch (sort) {
            case OLDEST -> COMMENT.ID.gt(afterId);
            case NEWEST -> COMMENT.ID.lt(afterId);
            case BEST -> DSL.row(COMMENT.SCORE, COMMENT.ID).lt(afterScore, afterId);
        };
    }

    /** The inclusive end of a page: its last top-level comment, in the sort's order. */
    private static Condition upTo(Sort sort, Field<Integer> untilScore, Field<Long> untilId) {
        if (untilId == null) {
            return DSL.noCondition();
        }
        return switch (sort) {
            case OLDEST -> COMMENT.ID.le(untilId);
            case NEWEST -> COMMENT.ID.ge(untilId);
            case BEST -> DSL.row(COMMENT.SCORE, COMMENT.ID).ge(untilScore, untilId);
        };
    }

    private static List<SortField<?>> pinnedFirst(Field<Boolean> pinned, List<SortField<?>> order) {
        List<SortField<?>> all = new ArrayList<>();
        all.add(pinned.desc());
        all.addAll(order);
        return all;
    }

    private static List<SortField<?>> topOrder(Sort sort, Field<Integer> score, Field<Long> id) {
        return switch (sort) {
            case OLDEST -> List.of(id.asc());
            case NEWEST -> List.of(id.desc());
            case BEST -> List.of(score.desc(), id.desc());
        };
    }

    /**
     * A comment to act on, locked until the transaction ends so concurrent votes and edits queue up; with its
     * thread's lock flag (the thread row is read, not locked: a moderator locking it meanwhile waits for nothing).
     */
    /** The comment's row, locked for the write (every post to a parent, vote, edit, delete, report). */
    private static final RenderedOnce<Record> LOCK = RenderedOnce.query("CommentRepository.lock",
            () -> DSL.select(COMMENT.ID, COMMENT.SITE_ID, COMMENT.THREAD_ID, COMMENT.PARENT_ID,
                            COMMENT.AUTHOR_ACCOUNT_ID, COMMENT.STATE, COMMENT.PATH, COMMENT.ROOT_ID, COMMENT.DEPTH,
                            COMMENT.CREATED_AT, COMMENT.SHADOW, THREAD.LOCKED, COMMENT.NOTIFY_REPLIES)
                    .from(COMMENT)
                    .join(THREAD).on(THREAD.ID.eq(COMMENT.THREAD_ID))
                    .where(COMMENT.ID.eq(slot(COMMENT.ID)))
                    .forUpdate()
                    .of(COMMENT));

    public Optional<Target> lock(DSLContext tx, long id) {
        return LOCK.fetchOptional(tx, id)
                .map(r -> new Target(r.get(COMMENT.ID), r.get(COMMENT.SITE_ID), r.get(COMMENT.THREAD_ID),
                        r.get(COMMENT.PARENT_ID),
                        r.get(COMMENT.AUTHOR_ACCOUNT_ID), State.of(r.get(COMMENT.STATE)), r.get(COMMENT.PATH),
                        r.get(COMMENT.ROOT_ID), r.get(COMMENT.DEPTH), r.get(COMMENT.CREATED_AT), r.get(COMMENT.SHADOW),
                        r.get(THREAD.LOCKED), r.get(COMMENT.NOTIFY_REPLIES)));
    }

    /**
     * Keeps the text an edit is about to replace, and the new one, in comment_revision: at the first edit the
     * text as posted becomes revision 0 (dated when the comment was); then each edit adds the next revision.
     * Call with the comment row locked, before {@link #updateBody}.
     *
     * @param writtenBy the account making the edit; moderator: true when it is not the comment's author
     * @return the new revision's number
     */
    public int keepRevision(DSLContext tx, long commentId, String source, String html, Long writtenBy,
                            boolean moderator) {
        tx.insertInto(COMMENT_REVISION, COMMENT_REVISION.COMMENT_ID, COMMENT_REVISION.REVISION,
                        COMMENT_REVISION.BODY_SOURCE, COMMENT_REVISION.BODY_HTML, COMMENT_REVISION.WRITTEN_BY,
                        COMMENT_REVISION.MODERATOR, COMMENT_REVISION.CREATED_AT)
                .select(DSL.select(COMMENT.ID, DSL.inline(0), COMMENT.BODY_SOURCE, COMMENT.BODY_HTML,
                                COMMENT.AUTHOR_ACCOUNT_ID, DSL.inline(false), COMMENT.CREATED_AT)
                        .from(COMMENT)
                        .where(COMMENT.ID.eq(commentId)))
                .onConflictDoNothing()
                .execute();
        return tx.insertInto(COMMENT_REVISION, COMMENT_REVISION.COMMENT_ID, COMMENT_REVISION.REVISION,
                        COMMENT_REVISION.BODY_SOURCE, COMMENT_REVISION.BODY_HTML, COMMENT_REVISION.WRITTEN_BY,
                        COMMENT_REVISION.MODERATOR)
                .select(DSL.select(DSL.inline(commentId), DSL.max(COMMENT_REVISION.REVISION).plus(1), DSL.val(source),
                                DSL.val(html), DSL.val(writtenBy), DSL.val(moderator))
                        .from(COMMENT_REVISION)
                        .where(COMMENT_REVISION.COMMENT_ID.eq(commentId)))
                .returning(COMMENT_REVISION.REVISION)
                .fetchSingle()
                .get(COMMENT_REVISION.REVISION);
    }

    /** One comment with its thread's site and key (for permalinks and the reply, edit and flag pages). */
    public record Located(CommentView comment, String bodySource, long threadId, long siteId, String threadKey,
                          String threadUrl, String threadTitle, boolean shadow) {
        /** Whether everyone may see it: public, or a removed one kept as a tombstone because replies hang on it. */
        public boolean publiclyVisible() {
            return !shadow && (comment.state() == State.APPROVED
                    || comment.state() == State.DELETED && comment.replyCount() > 0);
        }
    }

    /** The body as the bytes PostgreSQL sends, UTF-8, read without decoding (CommentView.bodyUtf8). */
    private static final Field<byte[]> BODY_UTF8 = COMMENT.BODY_HTML.coerce(org.jooq.impl.SQLDataType.BLOB);

    public Optional<Located> locate(DSLContext shard, long id) {
        return shard.select(COMMENT.ID, COMMENT.PARENT_ID, COMMENT.DEPTH, COMMENT.AUTHOR_ACCOUNT_ID,
                        COMMENT.AUTHOR_NAME, COMMENT.AUTHOR_AVATAR, BODY_UTF8, COMMENT.STATE, COMMENT.SCORE,
                        COMMENT.UPVOTES, COMMENT.DOWNVOTES, COMMENT.REPLY_COUNT, COMMENT.CREATED_AT, COMMENT.EDITED_AT,
                        COMMENT.BODY_SOURCE, COMMENT.PINNED, THREAD.ID, THREAD.SITE_ID, THREAD.KEY, THREAD.URL, THREAD.TITLE,
                        COMMENT.SHADOW)
                .from(COMMENT)
                .join(THREAD).on(THREAD.ID.eq(COMMENT.THREAD_ID))
                .where(COMMENT.ID.eq(id))
                .fetchOptional(r -> new Located(new CommentView(r.get(COMMENT.ID), r.get(COMMENT.PARENT_ID),
                        r.get(COMMENT.DEPTH), r.get(COMMENT.AUTHOR_ACCOUNT_ID), r.get(COMMENT.AUTHOR_NAME),
                        r.get(COMMENT.AUTHOR_AVATAR), r.get(BODY_UTF8), State.of(r.get(COMMENT.STATE)),
                        r.get(COMMENT.SCORE), r.get(COMMENT.UPVOTES), r.get(COMMENT.DOWNVOTES),
                        r.get(COMMENT.REPLY_COUNT), r.get(COMMENT.CREATED_AT), r.get(COMMENT.EDITED_AT), 0,
                        r.get(COMMENT.PINNED)),
                        r.get(COMMENT.BODY_SOURCE), r.get(THREAD.ID), r.get(THREAD.SITE_ID), r.get(THREAD.KEY),
                        r.get(THREAD.URL), blankToNull(r.get(THREAD.TITLE)), r.get(COMMENT.SHADOW)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * The new row, with everything its display needs copied in, written at {@code writtenAt} (null: now; a spooled
     * comment keeps the time it was sent). Returns its id: the one it came with (a spooled comment's), or the id the
     * shard's {@code next_id()} mints in the same statement. Minting in the insert saves every post a statement of
     * its own for the id.
     */
    public long insert(DSLContext tx, OffsetDateTime writtenAt, NewComment c) {
        // the post path: one row, rendered once per shard (the multi-row import renders each chunk as before)
        return INSERT.fetchSingle(tx, c.threadId(), c.siteId(), c.parentId(),
                c.parentId() == null ? null : c.rootId(), (short) c.depth(), c.authorAccountId(), c.authorName(),
                c.authorEmail(), c.authorAvatar(), c.bodySource(), c.bodyHtml(), c.state().column(), c.shadow(),
                c.holdReason(), c.ip(), c.notifyReplies(), c.pathPrefix(), writtenAt, c.id()).value1();
    }

    /**
     * One comment row: {@code INSERT … SELECT} from its id, the one given or else {@code next_id()} ({@code coalesce}
     * evaluates only what it needs, so a given id mints nothing). Its root is the id when it has no parent, its path
     * the parent's and the id as 16 hex digits ({@link NewComment#pathSegment}), written by PostgreSQL as
     * {@code lpad(to_hex(id), 16, '0')}, its time the one given or now (the column's default). Values, in the order of
     * the SQL: thread, site, parent, parent's root (null at the top), depth, author account, name, email, avatar,
     * source, HTML, state, shadow, hold reason, address, notify, the path before the comment's own segment, the time
     * (null: now), and last, in the FROM, the id (null: mint one).
     */
    private static final RenderedOnce<Record1<Long>> INSERT = RenderedOnce.query("CommentRepository.insert", () -> {
        Table<Record1<Long>> minted = DSL.select(DSL.coalesce(typed(COMMENT.ID), Routines.nextId()).as("id"))
                .asTable("minted");
        Field<Long> id = minted.field("id", Long.class);
        return DSL.insertInto(COMMENT, COMMENT.THREAD_ID, COMMENT.SITE_ID, COMMENT.PARENT_ID, COMMENT.ROOT_ID,
                        COMMENT.DEPTH, COMMENT.AUTHOR_ACCOUNT_ID, COMMENT.AUTHOR_NAME, COMMENT.AUTHOR_EMAIL,
                        COMMENT.AUTHOR_AVATAR, COMMENT.BODY_SOURCE, COMMENT.BODY_HTML, COMMENT.STATE,
                        COMMENT.SHADOW, COMMENT.HOLD_REASON, COMMENT.IP, COMMENT.NOTIFY_REPLIES, COMMENT.PATH,
                        COMMENT.ID, COMMENT.CREATED_AT)
                .select(DSL.select(typed(COMMENT.THREAD_ID), typed(COMMENT.SITE_ID), typed(COMMENT.PARENT_ID),
                                DSL.coalesce(typed(COMMENT.ROOT_ID), id), typed(COMMENT.DEPTH),
                                typed(COMMENT.AUTHOR_ACCOUNT_ID), typed(COMMENT.AUTHOR_NAME),
                                typed(COMMENT.AUTHOR_EMAIL), typed(COMMENT.AUTHOR_AVATAR),
                                typed(COMMENT.BODY_SOURCE), typed(COMMENT.BODY_HTML), typed(COMMENT.STATE),
                                typed(COMMENT.SHADOW), typed(COMMENT.HOLD_REASON),
                                DSL.field("{0}::inet", COMMENT.IP.getDataType(), slot(String.class)),
                                typed(COMMENT.NOTIFY_REPLIES),
                                DSL.field("{0}::text || lpad(to_hex({1}), 16, '0')", String.class,
                                        slot(String.class), id),
                                id,
                                DSL.coalesce(typed(COMMENT.CREATED_AT), DSL.currentOffsetDateTime()))
                        .from(minted))
                .returningResult(COMMENT.ID);
    });

    /** A placeholder with its type written into the SQL: in a SELECT list PostgreSQL cannot infer it from a column. */
    private static <T> Field<T> typed(Field<T> column) {
        return DSL.cast(slot(column), column.getDataType());
    }

    /** A comment brought in from another system, with its original time. */
    public record Imported(NewComment comment, OffsetDateTime createdAt) {
    }

    /**
     * Comments brought in from another system, with their original times, in multi-row statements of
     * {@code chunk}. Their ids must be free (the caller checks with {@link #taken}): a clash fails the whole
     * transaction rather than leave replies pointing at a comment that is not there.
     */
    public void insertImported(DSLContext tx, List<Imported> rows, int chunk) {
        for (int from = 0; from < rows.size(); from += chunk) {
            insertRows(tx, rows.subList(from, Math.min(rows.size(), from + chunk)));
        }
    }

    /** Which of {@code ids} are comments already. */
    public Set<Long> taken(DSLContext tx, java.util.Collection<Long> ids) {
        return ids.isEmpty() ? Set.of() : new HashSet<>(tx.select(COMMENT.ID).from(COMMENT)
                .where(COMMENT.ID.eq(DSL.any(ids.toArray(Long[]::new)))).fetch(COMMENT.ID));
    }

    /**
     * The rows, with everything their display needs copied in, in one statement; a row without a time gets the
     * column's default (now).
     */
    private static void insertRows(DSLContext tx, List<Imported> rows) {
        var insert = tx.insertInto(COMMENT, COMMENT.ID, COMMENT.THREAD_ID, COMMENT.SITE_ID, COMMENT.PARENT_ID,
                COMMENT.ROOT_ID, COMMENT.PATH, COMMENT.DEPTH, COMMENT.AUTHOR_ACCOUNT_ID, COMMENT.AUTHOR_NAME,
                COMMENT.AUTHOR_EMAIL, COMMENT.AUTHOR_AVATAR, COMMENT.BODY_SOURCE, COMMENT.BODY_HTML, COMMENT.STATE,
                COMMENT.SHADOW, COMMENT.HOLD_REASON, COMMENT.IP, COMMENT.NOTIFY_REPLIES, COMMENT.CREATED_AT);
        for (Imported row : rows) {
            NewComment c = row.comment();
            insert = insert.values(DSL.val(c.id()), DSL.val(c.threadId()), DSL.val(c.siteId()),
                    DSL.val(c.parentId(), COMMENT.PARENT_ID), DSL.val(c.rootId()), DSL.val(c.path()),
                    DSL.val((short) c.depth()), DSL.val(c.authorAccountId(), COMMENT.AUTHOR_ACCOUNT_ID),
                    DSL.val(c.authorName()), DSL.val(c.authorEmail(), COMMENT.AUTHOR_EMAIL), DSL.val(c.authorAvatar()),
                    DSL.val(c.bodySource()), DSL.val(c.bodyHtml()), DSL.val(c.state().column()),
                    DSL.val(c.shadow()), DSL.val(c.holdReason(), COMMENT.HOLD_REASON),
                    // inet has no Java type in the generated code: bind the text and let PostgreSQL cast it
                    DSL.field("{0}::inet", COMMENT.IP.getDataType(), c.ip()),
                    DSL.val(c.notifyReplies()),
                    row.createdAt() == null ? DSL.defaultValue(COMMENT.CREATED_AT) : DSL.val(row.createdAt()));
        }
        insert.execute();
    }

    public void updateBody(DSLContext tx, long id, String source, String html) {
        tx.update(COMMENT)
                .set(COMMENT.BODY_SOURCE, source)
                .set(COMMENT.BODY_HTML, html)
                .set(COMMENT.EDITED_AT, DSL.currentOffsetDateTime())
                .where(COMMENT.ID.eq(id))
                .execute();
    }

    /** Marks the comment removed; its source stays for moderators, its rendering goes. */
    public void markDeleted(DSLContext tx, long id) {
        tx.update(COMMENT)
                .set(COMMENT.STATE, State.DELETED.column())
                .set(COMMENT.BODY_HTML, "")
                .where(COMMENT.ID.eq(id))
                .execute();
    }

    /** The account's current vote on a comment: -1, 1, or 0 for none. */
    public int vote(DSLContext tx, long commentId, long accountId) {
        Short value = tx.select(VOTE.VALUE).from(VOTE)
                .where(VOTE.COMMENT_ID.eq(commentId)).and(VOTE.ACCOUNT_ID.eq(accountId))
                .fetchOne(VOTE.VALUE);
        return value == null ? 0 : value;
    }

    /** Replaces the account's vote (0 removes it) and moves the comment's counters by the difference. */
    public void setVote(DSLContext tx, long commentId, long accountId, int old, int value) {
        if (value == 0) {
            tx.deleteFrom(VOTE).where(VOTE.COMMENT_ID.eq(commentId)).and(VOTE.ACCOUNT_ID.eq(accountId)).execute();
        } else {
            tx.insertInto(VOTE, VOTE.COMMENT_ID, VOTE.ACCOUNT_ID, VOTE.VALUE)
                    .values(commentId, accountId, (short) value)
                    .onConflict(VOTE.COMMENT_ID, VOTE.ACCOUNT_ID)
                    .doUpdate()
                    .set(VOTE.VALUE, (short) value)
                    .execute();
        }
        int up = (value == 1 ? 1 : 0) - (old == 1 ? 1 : 0);
        int down = (value == -1 ? 1 : 0) - (old == -1 ? 1 : 0);
        tx.update(COMMENT)
                .set(COMMENT.SCORE, COMMENT.SCORE.plus(value - old))
                .set(COMMENT.UPVOTES, COMMENT.UPVOTES.plus(up))
                .set(COMMENT.DOWNVOTES, COMMENT.DOWNVOTES.plus(down))
                .where(COMMENT.ID.eq(commentId))
                .execute();
    }

    /** @return false when this account had already flagged the comment */
    /**
     * One report per reporter and comment ({@code reporter} is "account:ID" or, for a guest, "ip:ADDRESS";
     * {@code accountId} null for a guest); true when this one is new.
     */
    public boolean flag(DSLContext tx, long commentId, String reporter, Long accountId, String reason, String note) {
        int inserted = tx.insertInto(FLAG, FLAG.COMMENT_ID, FLAG.REPORTER, FLAG.ACCOUNT_ID, FLAG.REASON, FLAG.NOTE)
                .values(commentId, reporter, accountId, reason, note)
                .onConflictDoNothing()
                .execute();
        if (inserted == 1) {
            tx.update(COMMENT).set(COMMENT.FLAG_COUNT, COMMENT.FLAG_COUNT.plus(1)).where(COMMENT.ID.eq(commentId)).execute();
        }
        return inserted == 1;
    }
}
