package org.parley.discussion;

import org.jooq.Record5;
import org.parley.account.Avatars;
import org.parley.data.Databases;
import org.parley.discussion.CommentView.State;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

import static org.parley.db.shard.Tables.COMMENT;

/**
 * Changes every comment of one member at once: a new display name, or the account's deletion (the name removed,
 * or the comments removed as the person chose). Comments carry their author's name (pages never join accounts),
 * so this visits every shard — one transaction each through {@link ThreadWrites}, which bumps each touched
 * thread's version so no cached page keeps showing the old name. Rare (a person renames or leaves), so a
 * statement or two per shard is a fair price.
 */
public final class AuthorRewrite {
    /** What pages show for the author of a deleted account's kept comments. */
    public static final String DELETED_NAME = "deleted user";

    private final Databases databases;
    private final ThreadWrites writes;
    private final CommentRepository comments = new CommentRepository();

    public AuthorRewrite(Databases databases, ThreadVersions versions) {
        this.databases = databases;
        this.writes = new ThreadWrites(databases, versions);
    }

    /** Shows {@code name} on every comment of the account; returns how many comments changed. */
    public int rename(long accountId, Collection<Long> sites, String name) {
        return eachShard(shard -> writes.on(shard, write -> {
            var touched = write.dsl().update(COMMENT)
                    .set(COMMENT.AUTHOR_NAME, name)
                    .where(COMMENT.SITE_ID.in(sites)).and(COMMENT.AUTHOR_ACCOUNT_ID.eq(accountId))
                    .returning(COMMENT.THREAD_ID)
                    .fetch(COMMENT.THREAD_ID);
            new HashSet<>(touched).forEach(thread -> write.bump(thread, 0));
            return touched.size();
        }));
    }

    /**
     * For a deleted account: every comment loses its tie to the person (account, name, avatar). With
     * {@code remove}, they are also removed as their author would remove them (a tombstone where replies hang,
     * counters moved); otherwise they stay, under {@link #DELETED_NAME}.
     *
     * @return how many comments were changed
     */
    public int erase(long accountId, Collection<Long> sites, boolean remove) {
        String avatar = Avatars.keyFor(null, DELETED_NAME);
        return eachShard(shard -> writes.on(shard, write -> {
            var rows = write.dsl()
                    .select(COMMENT.ID, COMMENT.THREAD_ID, COMMENT.PARENT_ID, COMMENT.STATE, COMMENT.SHADOW)
                    .from(COMMENT)
                    .where(COMMENT.SITE_ID.in(sites)).and(COMMENT.AUTHOR_ACCOUNT_ID.eq(accountId))
                    .forUpdate()
                    .fetch();
            Map<Long, Integer> countDelta = new HashMap<>();
            for (Record5<Long, Long, Long, String, Boolean> row : rows) {
                State state = State.of(row.value4());
                int delta = 0;
                if (remove && state != State.DELETED) {
                    comments.markDeleted(write.dsl(), row.value1());
                    if (row.value3() != null) {
                        write.changeReplyCount(row.value3(), -1);
                    }
                    delta = state == State.APPROVED && !row.value5() ? -1 : 0;
                }
                countDelta.merge(row.value2(), delta, Integer::sum);
            }
            if (!rows.isEmpty()) {
                write.dsl().update(COMMENT)
                        .set(COMMENT.AUTHOR_NAME, DELETED_NAME)
                        .set(COMMENT.AUTHOR_AVATAR, avatar)
                        .setNull(COMMENT.AUTHOR_ACCOUNT_ID)
                        .setNull(COMMENT.AUTHOR_EMAIL)
                        .set(COMMENT.NOTIFY_REPLIES, false)
                        .where(COMMENT.ID.in(rows.getValues(COMMENT.ID)))
                        .execute();
                // one version bump per thread, with its count change: no cached page keeps the name
                countDelta.forEach(write::bump);
            }
            return rows.size();
        }));
    }

    private int eachShard(java.util.function.IntUnaryOperator perShard) {
        int changed = 0;
        for (int shard = 0; shard < databases.shardMap().shardCount(); shard++) {
            changed += perShard.applyAsInt(shard);
        }
        return changed;
    }
}
