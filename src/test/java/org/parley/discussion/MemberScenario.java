package org.parley.discussion;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The member's middle steps that the embed (with script) and the standalone page (without) share: Ada edits her
 * comment, upvotes someone else's, and deletes a reply that has replies of its own, which leaves a tombstone.
 */
final class MemberScenario {
    private MemberScenario() {
    }

    /** @return the removed reply's element id, for checking its tombstone after a reload */
    static String editVoteAndDelete(Discussion discussion) {
        discussion.edit("Ada's first thought", "Ada's second thought");
        WebElement edited = discussion.comment("Ada's second thought");
        assertThat(edited.findElement(By.cssSelector(".edited")).getText()).isEqualTo("edited");
        assertThat(discussion.bodies()).doesNotContain("Ada's first thought");

        assertThat(Discussion.upvoteButton(discussion.comment("Someone else wrote this")).getDomAttribute("aria-pressed"))
                .isEqualTo("false");
        discussion.upvote("Someone else wrote this");
        WebElement voted = discussion.comment("Someone else wrote this");
        assertThat(Discussion.score(voted)).isEqualTo("1");
        assertThat(Discussion.upvoteButton(voted).getDomAttribute("aria-pressed")).isEqualTo("true");

        String removedId = discussion.comment("Level one reply").getDomAttribute("id");
        discussion.delete("Level one reply", discussion.scripted()); // only script asks "are you sure?"
        assertThat(discussion.tombstone(removedId)).isEqualTo("This comment was removed.");
        assertThat(Discussion.depth(discussion.comment("Level two reply"))).as("the reply keeps its place").isEqualTo(2);
        return removedId;
    }
}
