package org.parley.profile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.parley.testing.Browser;
import org.parley.testing.FreePort;
import org.parley.testing.TestServer;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting an account in Chromium, at {@code http://localhost:PORT}: a member who commented opens "Your account"
 * from the home page, chooses to keep the comments, confirms with the password — and the discussion, which
 * everyone had been served from the cache, shows the comment under "deleted user", nowhere the name.
 */
class AccountDeletionBrowserIT {
    private static TestServer server;
    private static Browser browser;
    private static String parley;

    @BeforeAll
    static void start() {
        int port = FreePort.find();
        parley = "http://localhost:" + port;
        server = TestServer.start(Map.of("PARLEY_PORT", Integer.toString(port), "PARLEY_HOST", "0.0.0.0",
                "PARLEY_PUBLIC_URL", parley));
        browser = Browser.withJavaScript();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDeletedAccountsNameLeavesTheDiscussionItCommentedOn() {
        server.signedUp("gone@example.com", "Goner Name");
        server.thread("deletion-in-browser"); // standalone pages show threads an embed created
        String page = parley + TestServer.standalonePath("deletion-in-browser");

        browser.get(parley + "/signin?return=" + TestServer.standalonePath("deletion-in-browser"));
        browser.visible(By.id("email")).sendKeys("gone@example.com");
        browser.visible(By.id("password")).sendKeys(TestServer.PASSWORD);
        browser.visible(By.cssSelector("main form button[type=submit]")).click();
        browser.awaitDiscussionReady();
        WebElement form = browser.visible(By.cssSelector(".discussion > .comment-form"));
        form.findElement(By.id("body")).sendKeys("A comment that outlives its account");
        form.findElement(By.xpath(".//button[normalize-space()='Post comment']")).click();
        browser.awaitDiscussionReady();
        assertThat(browser.visible(By.cssSelector(".comment .author")).getText()).isEqualTo("Goner Name");
        // what every other visitor is served, from the shared page cache
        assertThat(server.client().get(TestServer.standalonePath("deletion-in-browser")).body()).contains("Goner Name");

        browser.get(parley + "/");
        WebElement home = browser.driver().findElement(By.tagName("html"));
        browser.visible(By.linkText("Your name, email, password and data")).click();
        browser.awaitReplaced(home); // else the h1 read next may be the home page's, gone under the test's hands
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Your account");
        browser.visible(By.id("comments-keep")).click();
        browser.visible(By.id("delete-current")).sendKeys(TestServer.PASSWORD);
        WebElement account = browser.driver().findElement(By.tagName("html"));
        browser.visible(By.cssSelector(".danger-zone button[type=submit]")).click();
        browser.awaitReplaced(account);
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Your account is deleted");

        browser.get(page);
        browser.awaitDiscussionReady();
        assertThat(browser.visible(By.cssSelector(".comment .author")).getText()).isEqualTo("deleted user");
        assertThat(browser.driver().getPageSource()).doesNotContain("Goner Name")
                .contains("A comment that outlives its account");
        assertThat(browser.driver().findElements(By.cssSelector(".comment-form .signed-in"))).isEmpty();
        assertThat(server.client().get(TestServer.standalonePath("deletion-in-browser")).body())
                .doesNotContain("Goner Name");
    }
}
