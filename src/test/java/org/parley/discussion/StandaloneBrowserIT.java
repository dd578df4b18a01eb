package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.parley.testing.Browser;
import org.parley.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone thread page ({@code /t/{site}/{key}}) in a real browser with JavaScript switched off: every
 * flow — posting as a guest, signing up, replying three levels deep, editing, voting, deleting — works through
 * plain links and forms with post/redirect/get.
 */
class StandaloneBrowserIT {
    private static final String PASSWORD = "correct horse battery";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static Browser browser;
    private Discussion discussion;

    @BeforeAll
    static void start() {
        browser = Browser.withoutJavaScript();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void newVisitor() {
        browser.clearCookies();
        browser.takeConsoleMessages();
        discussion = new Discussion(browser, false);
    }

    /**
     * Nothing in the console — no CSP violation, no failed load, not even the /favicon.ico a browser asks every site
     * for when a page links no icon.
     */
    @AfterEach
    void consoleStaysClean() {
        assertThat(browser.takeConsoleMessages()).isEmpty();
    }

    @Test
    void aGuestPostsAComment() {
        server.thread("guest"); // standalone pages show threads an embed created; they create none
        open("guest");
        assertThat(discussion.heading()).isEqualTo("No comments yet");

        discussion.postAsGuest("Grace", "Hello from a guest without JavaScript");

        WebElement comment = discussion.comment("Hello from a guest without JavaScript");
        assertThat(Discussion.author(comment)).isEqualTo("Grace");
        assertThat(discussion.heading()).isEqualTo("1 comment");
    }

    /** Without script, "Load more comments" is the link to the next page (with it, it appends in place). */
    @Test
    void loadMoreIsAPlainLinkToTheNextPage() {
        var thread = server.thread("paged");
        for (int i = 1; i <= 52; i++) {
            server.post(thread, null, "Paged comment " + i);
        }
        open("paged");
        assertThat(discussion.bodies()).hasSize(50);

        WebElement page = browser.driver().findElement(By.tagName("html"));
        browser.visible(By.linkText("Load more comments")).click();
        browser.awaitReplaced(page);

        assertThat(browser.driver().getCurrentUrl()).contains("after=");
        assertThat(discussion.bodies()).containsExactly("Paged comment 51", "Paged comment 52");
    }

    @Test
    void aMemberSignsUpPostsRepliesEditsVotesAndDeletesWithoutJavaScript() {
        server.post(server.thread("member"), null, "Someone else wrote this");
        open("member");

        discussion.signUp("Ada", "ada@example.com", PASSWORD);
        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Ada");
        assertThat(browser.driver().getCurrentUrl()).contains(TestServer.standalonePath("member"));

        discussion.post("Ada's first thought");
        assertThat(Discussion.author(discussion.comment("Ada's first thought"))).isEqualTo("Ada");

        discussion.replyOnItsOwnPage("Ada's first thought", "Level one reply");
        discussion.replyOnItsOwnPage("Level one reply", "Level two reply");
        discussion.replyOnItsOwnPage("Level two reply", "Level three reply");
        assertThat(Discussion.depth(discussion.comment("Level one reply"))).isEqualTo(1);
        assertThat(Discussion.depth(discussion.comment("Level two reply"))).isEqualTo(2);
        assertThat(Discussion.depth(discussion.comment("Level three reply"))).isEqualTo(3);
        assertThat(browser.driver().getCurrentUrl()).contains(TestServer.standalonePath("member"));

        String removedId = MemberScenario.editVoteAndDelete(discussion);

        browser.driver().navigate().refresh();
        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Ada");
        assertThat(discussion.bodies()).containsExactly("Someone else wrote this", "Ada's second thought",
                "Level two reply", "Level three reply");
        assertThat(discussion.tombstone(removedId)).isEqualTo("This comment was removed.");
        assertThat(Discussion.depth(discussion.comment("Level two reply"))).as("the reply keeps its place").isEqualTo(2);
        assertThat(Discussion.upvoteButton(discussion.comment("Someone else wrote this")).getDomAttribute("aria-pressed"))
                .isEqualTo("true");
    }

    private void open(String key) {
        browser.get(server.base() + TestServer.standalonePath(key));
        discussion.heading();
    }
}
