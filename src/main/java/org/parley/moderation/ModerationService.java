package org.parley.moderation;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.parley.account.Account;
import org.parley.comment.CommentView.State;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.thread.ThreadVersions;
import org.parley.web.HttpError;

import java.util.Locale;
import java.util.Set;

import static org.parley.db.main.Tables.KNOWN_AUTHOR;
import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.THREAD;

/**
 * Moderation actions on one comment. Each names the state the moderator saw ({@code expected}); if another
 * moderator changed the comment meanwhile the action is refused with the current state instead of overwriting
 * it. The state change and every counter it moves (thread count, parent's reply count) are one transaction on
 * the shard; the audit entry follows in the main schema right after (a different database, so not the same
 * transaction: a crash between the two loses the entry, never the action — see docs/moderation.md).
 */
public final class ModerationService {

    /** What a moderator can do to a comment, and the state it leads to. */
    public enum Action {
        APPROVE(State.APPROVED), REJECT(State.DELETED), SPAM(State.SPAM), RESTORE(State.APPROVED),
        /** Back to the pending queue: what undoing the approval of a pending comment does. */
        HOLD(State.PENDING);

        /** The buttons every queue item offers. */
        public static final java.util.List<String> BUTTONS = java.util.List.of("approve", "reject", "spam", "restore");

        /** The action that puts a comment back into {@code state}: the undo of whatever moved it away. */
        public static Action returningTo(State state) {
            return switch (state) {
                case APPROVED -> APPROVE;
                case PENDING -> HOLD;
                case SPAM -> SPAM;
                case DELETED -> REJECT;
            };
        }

        private final State result;

        Action(State result) {
            this.result = result;
        }

        public State result() {
            return result;
        }

        public static Action parse(String text) {
            for (Action a : values()) {
                if (a.name().equalsIgnoreCase(text)) {
                    return a;
                }
            }
            throw HttpError.notFound("There is no such moderation action.");
        }

        public String urlValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The outcome, for showing in place and for undo. */
    public record Done(long commentId, long siteId, State before, State after, Long authorAccountId) {
    }

    private final Databases databases;
    private final ThreadVersions versions;
    private final AuditLog audit;

    public ModerationService(Databases databases, ThreadVersions versions) {
        this.databases = databases;
        this.versions = versions;
        this.audit = new AuditLog(databases.main());
    }

    public Done act(Account moderator, Set<Long> moderatedSites, long commentId, Action action, State expected) {
        if (!databases.holds(commentId)) {
            throw HttpError.notFound("This comment does not exist.");
        }
        long[] version = new long[2]; // thread id and its new version, when the action changed anything
        Done done = databases.write(Ids.shardOf(commentId)).transactionResult(tx -> {
            DSLContext dsl = tx.dsl();
            var row = dsl.select(COMMENT.SITE_ID, COMMENT.THREAD_ID, COMMENT.PARENT_ID, COMMENT.STATE, COMMENT.SHADOW,
                            COMMENT.AUTHOR_ACCOUNT_ID)
                    .from(COMMENT)
                    .where(COMMENT.ID.eq(commentId))
                    .forUpdate()
                    .fetchOptional()
                    .orElseThrow(() -> HttpError.notFound("This comment does not exist."));
            long siteId = row.get(COMMENT.SITE_ID);
            if (!moderatedSites.contains(siteId)) {
                // the same answer as a missing comment: no hint that it exists on a site you do not moderate
                throw HttpError.notFound("This comment does not exist.");
            }
            State current = State.of(row.get(COMMENT.STATE));
            if (expected != null && current != expected) {
                throw new HttpError(409, "Another moderator changed this comment meanwhile: it is now "
                        + current.column() + ". Nothing was changed.");
            }
            State next = action.result();
            if (current == next) {
                return new Done(commentId, siteId, current, next, row.get(COMMENT.AUTHOR_ACCOUNT_ID));
            }
            dsl.update(COMMENT)
                    .set(COMMENT.STATE, next.column())
                    // the first action only: statistics measure how long comments wait for a moderator
                    .set(COMMENT.FIRST_MODERATED_AT, DSL.coalesce(COMMENT.FIRST_MODERATED_AT, DSL.currentOffsetDateTime()))
                    .set(COMMENT.FIRST_MODERATED_FROM, DSL.coalesce(COMMENT.FIRST_MODERATED_FROM, DSL.val(current.column())))
                    .where(COMMENT.ID.eq(commentId))
                    .execute();
            // a shadow comment never counts, whatever its state (see CommentService.post)
            int visibleDelta = row.get(COMMENT.SHADOW) ? 0
                    : (next == State.APPROVED ? 1 : 0) - (current == State.APPROVED ? 1 : 0);
            int replyDelta = (next == State.DELETED ? -1 : 0) + (current == State.DELETED ? 1 : 0);
            Long parent = row.get(COMMENT.PARENT_ID);
            if (parent != null && replyDelta != 0) {
                dsl.update(COMMENT).set(COMMENT.REPLY_COUNT, COMMENT.REPLY_COUNT.plus(replyDelta))
                        .where(COMMENT.ID.eq(parent)).execute();
            }
            long threadId = row.get(COMMENT.THREAD_ID);
            version[0] = threadId;
            version[1] = dsl.update(THREAD)
                    .set(THREAD.COMMENT_COUNT, THREAD.COMMENT_COUNT.plus(visibleDelta))
                    .set(THREAD.VERSION, THREAD.VERSION.plus(1))
                    .where(THREAD.ID.eq(threadId))
                    .returning(THREAD.VERSION)
                    .fetchSingle()
                    .get(THREAD.VERSION);
            return new Done(commentId, siteId, current, next, row.get(COMMENT.AUTHOR_ACCOUNT_ID));
        });
        if (version[1] != 0) {
            versions.written(version[0], version[1]); // after the commit: conditional GETs see the new version
        }
        if (done.before() != done.after()) {
            audit.record(moderator, done.siteId(), action.urlValue(), "comment:" + commentId,
                    done.before().column(), done.after().column());
        }
        if (done.after() == State.APPROVED && done.authorAccountId() != null) {
            // a moderator accepted this author here once: first-comment-is-pending no longer holds them
            databases.main().insertInto(KNOWN_AUTHOR, KNOWN_AUTHOR.SITE_ID, KNOWN_AUTHOR.ACCOUNT_ID)
                    .values(done.siteId(), done.authorAccountId())
                    .onConflictDoNothing()
                    .execute();
        }
        return done;
    }
}
