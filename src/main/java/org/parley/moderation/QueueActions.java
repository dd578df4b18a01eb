package org.parley.moderation;

import org.parley.discussion.CommentView.State;

import java.util.List;

/**
 * Which moderation buttons a comment gets: only the actions that would change its state, the one moderators
 * most often want first and marked primary (the page shows it solid and the rest quiet). A selection's buttons
 * follow the queue the same way.
 */
public final class QueueActions {
    /**
     * One button: the action's name as the form sends it, its label's message key (console.button.*), its keyboard
     * key, and whether it leads.
     */
    public record Button(String action, String labelKey, String key, boolean primary) {
    }

    private static final Button APPROVE = new Button("approve", "console.button.approve", "a", true);
    private static final Button REJECT = new Button("reject", "console.button.reject", "d", false);
    private static final Button SPAM = new Button("spam", "console.button.spam", "s", false);
    private static final Button RESTORE = new Button("restore", "console.button.restore", "r", true);

    private QueueActions() {
    }

    /** The buttons of a comment in {@code state}, the primary one first. */
    public static List<Button> forState(State state) {
        return switch (state) {
            case PENDING -> List.of(APPROVE, REJECT, SPAM);
            // a published comment (recent, or reported): taking it down is what a moderator came to decide
            case APPROVED -> List.of(primary(REJECT), SPAM);
            case SPAM -> List.of(notSpam(), REJECT);
            case DELETED -> List.of(RESTORE, SPAM);
        };
    }

    /** The buttons of the "with the selected" bar on a queue's page. */
    public static List<Button> forQueue(Queue queue) {
        return switch (queue) {
            case PENDING -> forState(State.PENDING);
            case FLAGGED -> forState(State.APPROVED);
            case SPAM -> forState(State.SPAM);
            case DELETED -> forState(State.DELETED);
            // the recent queue mixes every state: every action, none leading
            case RECENT -> List.of(quiet(APPROVE), REJECT, SPAM, quiet(RESTORE));
        };
    }

    private static Button primary(Button b) {
        return new Button(b.action(), b.labelKey(), b.key(), true);
    }

    private static Button quiet(Button b) {
        return new Button(b.action(), b.labelKey(), b.key(), false);
    }

    /** Restoring a spam comment publishes it: said the way a moderator thinks of it. */
    private static Button notSpam() {
        return new Button(RESTORE.action(), "console.button.notSpam", RESTORE.key(), true);
    }
}
