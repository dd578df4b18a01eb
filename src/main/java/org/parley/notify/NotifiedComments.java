package org.parley.notify;

import org.jooq.Record;
import org.parley.data.Databases;
import org.parley.data.Ids;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.THREAD;

/** What a notification needs of the comments it is about, read on the primary of their shard (IDs carry it). */
final class NotifiedComments {
    static final int EXCERPT = 400;

    /** One comment and its thread, as a notification shows them. */
    record Written(long id, long threadId, String state, boolean shadow, Long accountId, String name,
                   String guestEmail, String body, boolean notifyReplies, String threadTitle, String threadKey) {
        boolean isPublic() {
            return state.equals("approved") && !shadow;
        }

        String title() {
            return threadTitle == null || threadTitle.isBlank() ? threadKey : threadTitle;
        }

        String excerpt() {
            String text = body.strip();
            return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT).strip() + "…";
        }
    }

    private final Databases databases;

    NotifiedComments(Databases databases) {
        this.databases = databases;
    }

    /** The comments of {@code ids} that exist, by id; all must be of one shard. */
    Map<Long, Written> of(long... ids) {
        Map<Long, Written> found = new HashMap<>();
        databases.write(Ids.shardOf(ids[0]))
                .select(COMMENT.ID, COMMENT.THREAD_ID, COMMENT.STATE, COMMENT.SHADOW, COMMENT.AUTHOR_ACCOUNT_ID,
                        COMMENT.AUTHOR_NAME, COMMENT.AUTHOR_EMAIL, COMMENT.BODY_SOURCE, COMMENT.NOTIFY_REPLIES,
                        THREAD.TITLE, THREAD.KEY)
                .from(COMMENT).join(THREAD).on(THREAD.ID.eq(COMMENT.THREAD_ID))
                .where(COMMENT.ID.in(Arrays.stream(ids).boxed().toList()))
                .fetch()
                .forEach(r -> found.put(r.get(COMMENT.ID), written(r)));
        return found;
    }

    private static Written written(Record r) {
        return new Written(r.get(COMMENT.ID), r.get(COMMENT.THREAD_ID), r.get(COMMENT.STATE), r.get(COMMENT.SHADOW),
                r.get(COMMENT.AUTHOR_ACCOUNT_ID), r.get(COMMENT.AUTHOR_NAME), r.get(COMMENT.AUTHOR_EMAIL),
                r.get(COMMENT.BODY_SOURCE), r.get(COMMENT.NOTIFY_REPLIES), r.get(THREAD.TITLE), r.get(THREAD.KEY));
    }
}
