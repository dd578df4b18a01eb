package org.parley.discussion;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.parley.data.RenderedOnce;

import java.util.List;

import static org.parley.db.shard.Tables.THREAD;
import static org.parley.db.shard.Tables.THREAD_FOLLOWER;

/**
 * Members who follow a thread (mailed its new top-level comments), in the thread's shard. The thread row counts
 * them, so a post knows whether to record a notification from the statement that bumps the thread anyway.
 */
public final class ThreadFollowers {
    private ThreadFollowers() {
    }

    /** Starts following; true when the member did not follow already. Call in the post's transaction. */
    static boolean follow(DSLContext tx, long threadId, long accountId) {
        return FOLLOW.execute(tx, threadId, accountId) == 1;
    }

    /** On the member's POST path when they tick "follow": rendered once per shard. */
    private static final RenderedOnce<Record> FOLLOW = RenderedOnce.statement("ThreadFollowers.follow",
            () -> DSL.insertInto(THREAD_FOLLOWER, THREAD_FOLLOWER.THREAD_ID, THREAD_FOLLOWER.ACCOUNT_ID)
                    .values(RenderedOnce.slot(THREAD_FOLLOWER.THREAD_ID), RenderedOnce.slot(THREAD_FOLLOWER.ACCOUNT_ID))
                    .onConflictDoNothing());

    /** Stops following (the link in a mail); true when the member followed. */
    public static boolean unfollow(DSLContext shard, long threadId, long accountId) {
        return shard.transactionResult(tx -> {
            boolean removed = tx.dsl().deleteFrom(THREAD_FOLLOWER)
                    .where(THREAD_FOLLOWER.THREAD_ID.eq(threadId)).and(THREAD_FOLLOWER.ACCOUNT_ID.eq(accountId))
                    .execute() == 1;
            if (removed) {
                tx.dsl().update(THREAD).set(THREAD.FOLLOWER_COUNT, THREAD.FOLLOWER_COUNT.minus(1))
                        .where(THREAD.ID.eq(threadId)).execute();
            }
            return removed;
        });
    }

    /** The members who follow the thread, but {@code except} (the author of what they are told about). */
    public static List<Long> of(DSLContext shard, long threadId, Long except) {
        var query = shard.select(THREAD_FOLLOWER.ACCOUNT_ID).from(THREAD_FOLLOWER)
                .where(THREAD_FOLLOWER.THREAD_ID.eq(threadId));
        return (except == null ? query : query.and(THREAD_FOLLOWER.ACCOUNT_ID.ne(except)))
                .orderBy(THREAD_FOLLOWER.ACCOUNT_ID)
                .fetch(THREAD_FOLLOWER.ACCOUNT_ID);
    }
}
