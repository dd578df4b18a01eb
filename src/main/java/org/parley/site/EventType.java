package org.parley.site;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a site's webhooks can ask to hear of (docs/webhooks.md). "Rejected" and "deleted" differ by what the comment
 * was: a moderator refuses a comment nobody has seen yet (pending → removed or spam), while a deletion takes away a
 * public one (by its author, or by a moderator).
 */
public enum EventType {
    COMMENT_CREATED("comment.created", "a comment is posted (any state: approved, pending or spam)"),
    COMMENT_APPROVED("comment.approved", "a moderator approves or restores a comment"),
    COMMENT_REJECTED("comment.rejected", "a moderator rejects a held comment, or marks it as spam"),
    COMMENT_DELETED("comment.deleted", "a public comment is removed, by its author or a moderator"),
    COMMENT_FLAGGED("comment.flagged", "a reader reports a comment"),
    THREAD_CREATED("thread.created", "a page shows the embed for the first time");

    private final String wireName;
    private final String meaning;

    EventType(String wireName, String meaning) {
        this.wireName = wireName;
        this.meaning = meaning;
    }

    /** As in the JSON body and the console: "comment.created". */
    public String wireName() {
        return wireName;
    }

    public String meaning() {
        return meaning;
    }

    public static Optional<EventType> of(String wireName) {
        return Arrays.stream(values()).filter(e -> e.wireName.equals(wireName)).findFirst();
    }
}
