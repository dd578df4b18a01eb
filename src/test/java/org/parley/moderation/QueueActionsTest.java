package org.parley.moderation;

import org.junit.jupiter.api.Test;
import org.parley.discussion.CommentView.State;
import org.parley.web.BundleMessageResolver;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Only the actions that change a comment's state are offered, the one moderators want most first and primary. */
class QueueActionsTest {
    @Test
    void eachStateGetsTheActionsThatChangeItWithOnePrimary() {
        assertThat(labels(QueueActions.forState(State.PENDING))).containsExactly("Approve*", "Delete", "Spam");
        assertThat(labels(QueueActions.forState(State.APPROVED))).containsExactly("Delete*", "Spam");
        assertThat(labels(QueueActions.forState(State.SPAM))).containsExactly("Not spam*", "Delete");
        assertThat(labels(QueueActions.forState(State.DELETED))).containsExactly("Restore*", "Spam");
        for (State state : State.values()) {
            assertThat(QueueActions.forState(state)).extracting(QueueActions.Button::action)
                    .as("no button leaves a %s comment as it is", state)
                    .noneMatch(action -> ModerationService.Action.parse(action).result() == state);
        }
    }

    @Test
    void theSelectionBarFollowsTheQueueAndTheMixedRecentQueueHasNoPrimary() {
        assertThat(labels(QueueActions.forQueue(Queue.PENDING))).containsExactly("Approve*", "Delete", "Spam");
        assertThat(labels(QueueActions.forQueue(Queue.FLAGGED))).containsExactly("Delete*", "Spam");
        assertThat(labels(QueueActions.forQueue(Queue.RECENT))).containsExactly("Approve", "Delete", "Spam", "Restore");
    }

    private static List<String> labels(List<QueueActions.Button> buttons) {
        return buttons.stream().map(b -> BundleMessageResolver.message(Locale.ENGLISH, b.labelKey())
                + (b.primary() ? "*" : "")).toList();
    }
}
