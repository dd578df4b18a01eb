package org.parley.discussion;

import org.jooq.DSLContext;
import org.parley.outbox.Outbox;
import org.parley.web.Json;

import java.util.Map;

/**
 * The notification rows a comment write adds to its shard's outbox, in the write's transaction: what happened and
 * to which comments, nothing more. The notify package's courier decides when it delivers them who gets what (an
 * unsubscribe or a removal in between is honoured), and renders the mail.
 */
public final class NotificationEvents {
    public static final String KIND = "notification";
    /** A reply to a comment whose author asked for replies. */
    public static final String REPLY = "reply";
    /** A guest asked for replies at an address: ask them to confirm it first (double opt-in). */
    public static final String CONFIRM = "confirm";
    /** A new top-level comment in a thread that members follow. */
    public static final String THREAD = "thread";

    private NotificationEvents() {
    }

    public static void reply(DSLContext tx, long replyId, long parentId) {
        Outbox.addToShard(tx, KIND, Json.object(Map.of("type", REPLY, "reply", replyId, "parent", parentId)));
    }

    public static void thread(DSLContext tx, long commentId) {
        Outbox.addToShard(tx, KIND, Json.object(Map.of("type", THREAD, "comment", commentId)));
    }

    static void confirm(DSLContext tx, long commentId) {
        Outbox.addToShard(tx, KIND, Json.object(Map.of("type", CONFIRM, "comment", commentId)));
    }
}
