package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.parley.testing.Browser;
import org.parley.testing.CrossSiteParley;
import org.parley.testing.HostSite;
import org.parley.testing.PgCluster;
import org.parley.testing.PgServer;
import org.parley.testing.TestServer;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The spool as a reader meets it, in Chromium: the article on a blog of another origin, the discussion in its
 * cross-site frame at {@code http://localhost:PORT} (IPv6 first), every shard on a PostgreSQL that is stopped
 * while the reader writes. The post lands on "Your comment is saved" inside the frame, with the comment; once the
 * primary is back, "Check again" leads to the comment in the discussion, and another reader sees it too.
 */
class SpoolBrowserIT {
    private static PgCluster shards;
    private static CrossSiteParley parley;

    @BeforeAll
    static void start() {
        shards = PgCluster.start();
        String db = shards.createDatabase();
        parley = CrossSiteParley.start(Map.of("PARLEY_CLUSTER_DB2_URL", shards.url(db).jdbcUrl(),
                "PARLEY_CLUSTER_DB2_USER", PgServer.USER, "PARLEY_SHARD_MAP", "0-7:db2"), "localhost");
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
        if (shards != null) {
            shards.close();
        }
    }

    @Test
    void aReaderWritingWhileTheDatabaseIsAwaySeesTheCommentSavedThenPosted() {
        Browser browser = parley.browser();
        HostSite blog = parley.blog();
        String key = "spooled-in-the-browser";
        browser.get(blog.page(blog.origin("localhost"), parley.parley("localhost"), key));
        WebElement frame = browser.visible(By.cssSelector("#parley_thread iframe"));
        browser.waiting().until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(frame));
        browser.visible(By.id("discussion-heading"));

        shards.primary().stop();
        try {
            browser.visible(By.id("name")).sendKeys("Rosa");
            browser.visible(By.id("body")).sendKeys("Written while the *database* was away");
            WebElement page = browser.driver().findElement(By.tagName("html"));
            browser.visible(By.xpath("//form[contains(@class,'comment-form')]//button[@type='submit']")).click();
            browser.awaitReplaced(page);
            assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Your comment is saved");
            assertThat(browser.visible(By.cssSelector("blockquote.quoted")).getDomProperty("innerHTML"))
                    .contains("<em>database</em>");
            assertThat(browser.location()).startsWith(parley.parley("localhost") + "/c/").contains("/saved?");
            browser.screenshot("spool-saved-in-frame");
        } finally {
            shards.primary().start();
        }

        // the replay runs within seconds of the primary's return; the reader checks again
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() ->
                parley.server().client().get(TestServer.standalonePath(key)).body()
                        .contains("Written while the <em>database</em> was away"));
        WebElement page = browser.driver().findElement(By.tagName("html"));
        browser.visible(By.linkText("Check again")).click();
        browser.awaitReplaced(page);
        browser.visible(By.id("discussion-heading"));
        assertThat(browser.location()).startsWith(parley.parley("localhost") + "/embed/default?");
        assertThat(browser.driver().findElements(By.xpath("//*[contains(@class,'comment-body')]"
                + "[contains(., 'Written while the database was away')]"))).hasSize(1);
        assertThat(browser.takeConsoleMessages()).isEmpty();
    }

    /**
     * A signed-in member, on the standalone page: after "Your comment is saved", back in the discussion they see
     * their comment where it will be, marked as saved (the overlay reads it from the spool), while nobody else
     * does; once posted it is an ordinary comment of theirs.
     */
    @Test
    void aMemberSeesTheirSavedCommentInTheirOwnViewOfTheThread() {
        TestServer server = parley.server();
        server.signedUp("spool-member@example.com", "Marta");
        String key = "spooled-for-a-member";
        server.thread(key);
        Browser browser = parley.browser();
        browser.get(parley.parley("localhost") + "/signin?return=" + TestServer.standalonePath(key));
        browser.visible(By.id("email")).sendKeys("spool-member@example.com");
        browser.visible(By.id("password")).sendKeys(TestServer.PASSWORD);
        WebElement signIn = browser.driver().findElement(By.tagName("html"));
        browser.visible(By.cssSelector("main form button[type=submit]")).click();
        browser.awaitReplaced(signIn); // on the thread page, rendered while the primary is still up
        browser.awaitDiscussionReady();
        browser.visible(By.cssSelector(".discussion > .comment-form"));
        String body = "Marta wrote this while the database was away";

        shards.primary().stop();
        try {
            WebElement form = browser.visible(By.cssSelector(".discussion > .comment-form"));
            form.findElement(By.id("body")).sendKeys(body);
            WebElement page = browser.driver().findElement(By.tagName("html"));
            form.findElement(By.xpath(".//button[normalize-space()='Post comment']")).click();
            browser.awaitReplaced(page);
            assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Your comment is saved");
            page = browser.driver().findElement(By.tagName("html"));
            browser.visible(By.linkText("Back to the discussion")).click();
            browser.awaitReplaced(page);
            browser.awaitDiscussionReady();
            WebElement mine = browser.visible(By.xpath("//li[contains(@class,'comment')][.//*[contains(@class,"
                    + "'comment-body')][contains(., '" + body + "')]]"));
            assertThat(mine.getText()).contains("Marta").contains("Saved: it will appear for everyone shortly.");
            // not in the database yet: nothing to vote on or report
            assertThat(mine.findElements(By.cssSelector("form.vote, footer a[href*='/flag']"))).isEmpty();
            browser.screenshot("spool-saved-in-own-view");
            assertThat(server.client().get(TestServer.standalonePath(key)).body()).doesNotContain(body);
        } finally {
            shards.primary().start();
        }

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() ->
                server.client().get(TestServer.standalonePath(key)).body().contains(body));
        browser.driver().navigate().refresh();
        browser.awaitDiscussionReady();
        var shown = browser.driver().findElements(By.xpath("//li[contains(@class,'comment')][.//*[contains(@class,"
                + "'comment-body')][contains(., '" + body + "')]]"));
        assertThat(shown).hasSize(1);
        assertThat(shown.getFirst().getText()).doesNotContain("Saved: it will appear");
        assertThat(browser.takeConsoleMessages()).as("no failed load, not even a favicon").isEmpty();
    }
}
