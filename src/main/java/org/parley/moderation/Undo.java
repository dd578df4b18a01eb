package org.parley.moderation;

import org.parley.discussion.CommentView.State;
import org.parley.moderation.ContentModeration.ThreadState;
import org.parley.web.HttpError;

/**
 * The undo a queue page offers after one action: the action that returns the comment or thread to where it was,
 * and the state it must still be in (so an undo never overwrites what another moderator did since). Read from the
 * query string the action redirected to; it only decides which button to show — the undo itself is checked like
 * any other action.
 */
public record Undo(String path, String expected) {

    /** Null when there is nothing (recognisable) to undo. */
    static Undo of(String kind, String done, String id, String was, String now) {
        if (done == null || was == null || id == null || !id.matches("\\d{1,19}")) {
            return null;
        }
        try {
            return switch (kind == null ? "comment" : kind) {
                case "pin" -> "pinned".equals(was)
                        ? new Undo("/admin/pin/" + id + "/pin", "unpinned")
                        : new Undo("/admin/pin/" + id + "/unpin", "pinned");
                case "reports" -> "open".equals(was)
                        ? new Undo("/admin/reports/" + id + "/reopen", "dismissed")
                        : new Undo("/admin/reports/" + id + "/dismiss", "open");
                case "thread" -> new Undo("/admin/threads/" + id + "/" + ThreadState.parse(was, "was").action(),
                        ThreadState.parse(now, "now").column());
                case "comment" -> new Undo("/admin/comments/" + id + "/"
                        + ModerationService.Action.returningTo(State.of(was)).urlValue(),
                        ModerationService.Action.parse(done).result().column());
                default -> null;
            };
        } catch (IllegalArgumentException | HttpError e) {
            return null; // not an address an action redirected to: no undo button
        }
    }
}
