package org.parley.moderation;

import org.parley.discussion.CommentView.State;

import java.util.ArrayList;
import java.util.List;

/**
 * What acting on a selection did, as the queue page shows it after the redirect: the comments changed (with the
 * state each came from, for the undo) and the ones left alone because another moderator changed them first (with
 * the state the moderator saw and the one they are in now). Read back from the query string the action redirected
 * to; it only decides what is shown — the undo it offers is checked again like any other action.
 */
public record BulkOutcome(String action, List<Change> applied, List<Change> stale) {

    /** One comment: applied → {@code from} = state now, {@code to} = state before; stale → seen, current. */
    public record Change(long id, String from, String to) {
        /** The value the undo form sends: id, the state it is in now, the state to return to. */
        public String undoValue() {
            return id + ":" + from + ":" + to;
        }
    }

    /** Null unless the page follows an action on a selection. */
    static BulkOutcome parse(String action, String applied, String stale) {
        if (action == null || action.isBlank()) {
            return null;
        }
        return new BulkOutcome(action, changes(applied), changes(stale));
    }

    /** The actions whose result can be undone (an undo is not undone again: act once more instead). */
    public boolean undoable() {
        return !"undo".equals(action) && !applied.isEmpty();
    }

    private static List<Change> changes(String text) {
        List<Change> changes = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return changes;
        }
        for (String entry : text.split(",")) {
            String[] parts = entry.split(":");
            if (parts.length == 3 && isState(parts[1]) && isState(parts[2])) {
                try {
                    changes.add(new Change(Long.parseLong(parts[0]), parts[1], parts[2]));
                } catch (NumberFormatException e) {
                    // not one of ours: a hand-made address shows nothing for it
                }
            }
        }
        return changes;
    }

    private static boolean isState(String text) {
        try {
            State.of(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
