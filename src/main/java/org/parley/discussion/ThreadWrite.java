package org.parley.discussion;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;
import org.parley.db.shard.tables.records.ThreadRecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.THREAD;

/**
 * One transaction on a thread's shard, as {@link ThreadWrites} hands it to a change: the change's own statements
 * go through {@link #dsl()}, and what every change to comments must also do — move the counters a reader sees and
 * bump the thread's version, so no cached page or ETag outlives it — goes through the methods here, in one place.
 * The versions it bumped are told to the cache only after the transaction commits.
 *
 * <p>Alone, a write updates the thread row at once. In a group commit ({@link GroupCommit}) its thread changes are
 * only noted ({@link #deferred}), and {@link ThreadWrites} applies the sum of the writes that succeeded in one
 * update per thread just before the commit: the thread row is then the last lock each transaction takes, as it is
 * for a write alone — taken in the middle of a batch, it would be held while later writes in the batch lock
 * comments, against a vote that holds a comment and waits for the thread (a deadlock).
 */
public final class ThreadWrite {
    private final DSLContext dsl;
    /** null: the thread row is updated at once; else how a batch reads a thread's follower count */
    private final Function<Long, Integer> followerCounts;
    /** thread id → what this write changes on it, while deferred */
    private final Map<Long, Change> changes = new LinkedHashMap<>();
    /** thread id → the version this transaction gave it (the last, when a change bumps one thread twice) */
    private final Map<Long, Long> bumped = new LinkedHashMap<>();
    /** Each bumped thread's follower count, read by the same statement: a post learns for free if anyone follows. */
    private final Map<Long, Integer> followers = new java.util.HashMap<>();
    /** Each bumped thread's site and key, read by the same statement: what a purge of its pages at the edge names. */
    private final Map<Long, Named> named = new LinkedHashMap<>();

    /** A bumped thread's site and key, and the version its static snapshot on the CDN shows (null: none). */
    record Named(long siteId, String key, Long snapshotVersion) {
    }

    ThreadWrite(DSLContext dsl) {
        this(dsl, null);
    }

    private ThreadWrite(DSLContext dsl, Function<Long, Integer> followerCounts) {
        this.dsl = dsl;
        this.followerCounts = followerCounts;
    }

    /** A write in a batch: its thread changes wait for {@link #applyAll}; follower counts come from the batch. */
    static ThreadWrite deferred(DSLContext dsl, Function<Long, Integer> followerCounts) {
        return new ThreadWrite(dsl, followerCounts);
    }

    /** The transaction, for the change's own statements. */
    public DSLContext dsl() {
        return dsl;
    }

    /**
     * A visitor's write (post, edit, delete, vote, flag): moves the thread's visible count by
     * {@code commentCountDelta}, marks it active now and bumps its version.
     */
    public void touch(long threadId, int commentCountDelta) {
        touch(threadId, commentCountDelta, 0);
    }

    /** The same, with the thread's follower count moved by {@code followerDelta} (the poster started following). */
    public void touch(long threadId, int commentCountDelta, int followerDelta) {
        note(threadId, commentCountDelta, followerDelta, true, Map.of());
    }

    /** A moderator's or a repair's change: the same as {@link #touch}, but it is not activity on the thread. */
    public void bump(long threadId, int commentCountDelta) {
        bump(threadId, commentCountDelta, Map.of());
    }

    /**
     * Sets further thread columns ({@code also}) in the same statement that bumps the version, so a change to the
     * thread itself (closing, locking) costs one statement.
     */
    public void bump(long threadId, int commentCountDelta, Map<? extends Field<?>, ?> also) {
        note(threadId, commentCountDelta, 0, false, also);
    }

    private void note(long threadId, int commentDelta, int followerDelta, boolean activity,
                      Map<? extends Field<?>, ?> also) {
        if (followerCounts == null) {
            var change = new Change();
            change.add(commentDelta, followerDelta, activity, also);
            change.update(this, threadId);
        } else {
            changes.computeIfAbsent(threadId, id -> new Change()).add(commentDelta, followerDelta, activity, also);
        }
    }

    /** Moves a comment's reply count (a reply was added, deleted or restored). */
    public void changeReplyCount(long commentId, int delta) {
        if (delta != 0) {
            dsl.update(COMMENT)
                    .set(COMMENT.REPLY_COUNT, COMMENT.REPLY_COUNT.plus(delta))
                    .where(COMMENT.ID.eq(commentId))
                    .execute();
        }
    }

    /**
     * How many members follow {@code threadId}: as the last bump in this write saw it (0 if not bumped); in a
     * batch, as the thread row stood before the batch plus this write's own follow.
     */
    public int followers(long threadId) {
        if (followerCounts != null) {
            Change change = changes.get(threadId);
            return change == null ? 0 : followerCounts.apply(threadId) + change.followers;
        }
        return followers.getOrDefault(threadId, 0);
    }

    /**
     * Applies the deferred changes of several writes (those of a batch that succeeded, in order) in one update
     * per thread, in thread id order, on {@code into}, which then holds the versions and names as if it had made
     * them all.
     */
    static void applyAll(ThreadWrite into, java.util.List<ThreadWrite> writes) {
        var sum = new java.util.TreeMap<Long, Change>();
        writes.forEach(write -> write.changes.forEach((threadId, change) ->
                sum.computeIfAbsent(threadId, id -> new Change()).merge(change)));
        sum.forEach((threadId, change) -> change.update(into, threadId));
    }

    Map<Long, Long> bumped() {
        return bumped;
    }

    Map<Long, Named> named() {
        return named;
    }

    /** What one write does to a thread row: counter moves, whether it is activity, further columns to set. */
    private static final class Change {
        int comments;
        int followers;
        boolean activity;
        final Map<Field<?>, Object> also = new LinkedHashMap<>();

        void add(int commentDelta, int followerDelta, boolean isActivity, Map<? extends Field<?>, ?> columns) {
            comments += commentDelta;
            followers += followerDelta;
            activity |= isActivity;
            also.putAll(columns);
        }

        void merge(Change other) {
            comments += other.comments;
            followers += other.followers;
            activity |= other.activity;
            also.putAll(other.also);
        }

        /** One UPDATE of the thread row: version, counters, activity, further columns; what it returns is noted. */
        void update(ThreadWrite write, long threadId) {
            UpdateSetMoreStep<ThreadRecord> update = write.dsl.update(THREAD)
                    .set(THREAD.VERSION, THREAD.VERSION.plus(1));
            if (comments != 0) {
                update = update.set(THREAD.COMMENT_COUNT, THREAD.COMMENT_COUNT.plus(comments));
            }
            if (followers != 0) {
                update = update.set(THREAD.FOLLOWER_COUNT, THREAD.FOLLOWER_COUNT.plus(followers));
            }
            if (activity) {
                update = update.set(THREAD.LAST_ACTIVITY_AT, DSL.currentOffsetDateTime());
            }
            if (!also.isEmpty()) {
                update = update.set(also);
            }
            var row = update.where(THREAD.ID.eq(threadId))
                    .returning(THREAD.VERSION, THREAD.FOLLOWER_COUNT, THREAD.SITE_ID, THREAD.KEY, THREAD.SNAPSHOT_VERSION)
                    .fetchSingle();
            write.bumped.put(threadId, row.get(THREAD.VERSION));
            write.followers.put(threadId, row.get(THREAD.FOLLOWER_COUNT));
            write.named.put(threadId, new Named(row.get(THREAD.SITE_ID), row.get(THREAD.KEY),
                    row.get(THREAD.SNAPSHOT_VERSION)));
        }
    }
}
