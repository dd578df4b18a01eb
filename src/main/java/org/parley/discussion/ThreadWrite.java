package org.parley.discussion;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;
import org.parley.db.shard.tables.records.ThreadRecord;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.THREAD;

/**
 * One transaction on a thread's shard, as {@link ThreadWrites} hands it to a change: the change's own statements
 * go through {@link #dsl()}, and what every change to comments must also do — move the counters a reader sees and
 * bump the thread's version, so no cached page or ETag outlives it — goes through the methods here, in one place.
 * The versions it bumped are told to the cache only after the transaction commits.
 */
public final class ThreadWrite {
    private final DSLContext dsl;
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
        this.dsl = dsl;
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
        bump(threadId, commentCountDelta, followerDelta == 0
                ? Map.of(THREAD.LAST_ACTIVITY_AT, DSL.currentOffsetDateTime())
                : Map.of(THREAD.LAST_ACTIVITY_AT, DSL.currentOffsetDateTime(),
                        THREAD.FOLLOWER_COUNT, THREAD.FOLLOWER_COUNT.plus(followerDelta)));
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
        UpdateSetMoreStep<ThreadRecord> update = dsl.update(THREAD)
                .set(THREAD.VERSION, THREAD.VERSION.plus(1));
        if (commentCountDelta != 0) {
            update = update.set(THREAD.COMMENT_COUNT, THREAD.COMMENT_COUNT.plus(commentCountDelta));
        }
        if (!also.isEmpty()) {
            update = update.set(also);
        }
        var row = update.where(THREAD.ID.eq(threadId))
                .returning(THREAD.VERSION, THREAD.FOLLOWER_COUNT, THREAD.SITE_ID, THREAD.KEY, THREAD.SNAPSHOT_VERSION)
                .fetchSingle();
        bumped.put(threadId, row.get(THREAD.VERSION));
        followers.put(threadId, row.get(THREAD.FOLLOWER_COUNT));
        named.put(threadId, new Named(row.get(THREAD.SITE_ID), row.get(THREAD.KEY), row.get(THREAD.SNAPSHOT_VERSION)));
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

    /** How many members follow {@code threadId}, as the last bump in this write saw it (0 if not bumped). */
    public int followers(long threadId) {
        return followers.getOrDefault(threadId, 0);
    }

    Map<Long, Long> bumped() {
        return bumped;
    }

    Map<Long, Named> named() {
        return named;
    }
}
