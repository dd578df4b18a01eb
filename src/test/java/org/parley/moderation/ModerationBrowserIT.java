package org.parley.moderation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.testing.Browser;
import org.parley.testing.TestServer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in real Chromium with JavaScript on, driven the way a busy moderator drives it: a pending queue
 * cleared with nothing but the keyboard (j/k to move, a to approve, d to delete, u to undo, ? for the help), a
 * shadow ban whose victim still sees their next comment while an anonymous visitor does not, and the audit log
 * listing every one of those actions.
 */
class ModerationBrowserIT {
    private static final String PASSWORD = "correct horse battery";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static Browser browser;

    @BeforeAll
    static void start() {
        var accounts = new AccountRepository(server.parley().databases().main());
        long mod = accounts.create("mod@example.com", "Mod", Passwords.hash(PASSWORD)).orElseThrow();
        new Moderators(server.parley().databases().main()).add(server.site().id(), mod);
        accounts.create("shady@example.com", "Shady", Passwords.hash(PASSWORD)).orElseThrow();
        browser = Browser.withJavaScript();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    /** No script error, no CSP violation, no failed load (the favicon too: the layout links Parley's icon). */
    @AfterEach
    void consoleStaysClean() {
        assertThat(browser.takeConsoleMessages()).isEmpty();
    }

    @Test
    void aModeratorClearsThePendingQueueWithTheKeyboardShadowBansAndTheAuditLogListsIt() {
        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        var thread = server.thread("keyboard");
        server.post(thread, null, "First in line");
        server.post(thread, null, "Second in line");
        server.post(thread, null, "Third in line");
        server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");

        browser.clearCookies();
        signIn("mod@example.com");
        browser.get(server.base() + "/admin/queue?queue=pending&thread=keyboard");
        assertThat(queueTexts()).containsExactly("Third in line", "Second in line", "First in line");
        assertThat(focusedText()).isEqualTo("Third in line");

        // the help overlay opens and closes with ?
        WebElement help = browser.driver().findElement(By.id("keys-help"));
        assertThat(help.isDisplayed()).isFalse();
        press("?");
        assertThat(browser.visible(By.id("keys-help")).getText()).contains("next / previous comment", "approve");
        press("?");
        browser.waiting().until(ExpectedConditions.invisibilityOf(help));

        press("j");
        assertThat(focusedText()).isEqualTo("Second in line");
        press("j");
        press("k");
        assertThat(focusedText()).isEqualTo("Second in line");
        // actions are sent in the background: the page stays (this mark would not survive a reload)
        browser.driver().executeScript("window.parleyStayed = true");
        act("a");
        assertThat(result()).contains("approve (was pending)");
        assertThat(queueTexts()).containsExactly("Third in line", "First in line");
        assertThat(browser.driver().executeScript("return window.parleyStayed === true")).isEqualTo(true);
        assertThat(tabCount("pending")).isEqualTo("2");
        assertThat(focusedText()).as("the focus moves on to the next comment").isEqualTo("First in line");

        act("d");
        assertThat(result()).contains("reject (was pending)");
        assertThat(queueTexts()).containsExactly("Third in line");
        assertThat(tabCount("pending")).isEqualTo("1");

        act("u"); // changed my mind: the deleted comment comes back to the queue
        assertThat(result()).contains("(was deleted)");
        assertThat(queueTexts()).containsExactly("Third in line", "First in line");
        assertThat(tabCount("pending")).isEqualTo("2");

        act("a");
        act("a");
        assertThat(browser.driver().executeScript("return window.parleyStayed === true")).isEqualTo(true);
        assertThat(tabCount("pending")).isEqualTo("0");
        assertThat(browser.visible(By.cssSelector("p.empty")).getText()).isEqualTo("Nothing here. Well done.");
        assertThat(pageText(TestServer.standalonePath("keyboard")))
                .contains("First in line", "Second in line", "Third in line");

        // a shadow ban by email: the author's next comment is theirs alone to see
        browser.get(server.base() + "/admin/bans");
        browser.visible(By.id("value")).sendKeys("shady@example.com");
        browser.driver().findElement(By.cssSelector("#kind option[value='email']")).click();
        browser.driver().findElement(By.id("reason")).sendKeys("link farming");
        browser.driver().findElement(By.id("shadow")).click();
        submit(browser.driver().findElement(By.xpath("//main//button[normalize-space()='Ban']")));
        assertThat(browser.visible(By.cssSelector("p.notice")).getText()).contains("saved");

        browser.clearCookies();
        signIn("shady@example.com");
        browser.get(server.base() + TestServer.standalonePath("keyboard"));
        browser.awaitDiscussionReady();
        browser.visible(By.id("body")).sendKeys("Visit my totally legit shop");
        submit(browser.driver().findElement(By.xpath("//button[normalize-space()='Post comment']")));
        // the page is the shared one; thread.js then adds the viewer's own comments (a shadowed one among them)
        browser.waiting().until(d -> browser.visible(By.id("main")).getText().contains("Visit my totally legit shop"));

        browser.clearCookies();
        assertThat(pageText(TestServer.standalonePath("keyboard")))
                .contains("Third in line")
                .doesNotContain("Visit my totally legit shop");

        // the moderator sees it, marked, in the recent queue; the audit log lists every action above
        signIn("mod@example.com");
        browser.get(server.base() + "/admin/queue?queue=recent");
        WebElement shadowed = browser.visible(By.xpath("//li[contains(@class, 'queue-item')]"
                + "[.//div[contains(normalize-space(.), 'Visit my totally legit shop')]]"));
        assertThat(shadowed.getText()).contains("shadow");

        browser.get(server.base() + "/admin/audit");
        List<String> rows = browser.driver().findElements(By.cssSelector("table.audit tbody tr")).stream()
                .map(r -> r.findElements(By.tagName("td")).stream().skip(1).map(WebElement::getText).toList())
                .map(cells -> String.join(" | ", cells))
                .toList();
        // newest first: this test's six actions (another test's may follow below them)
        assertThat(rows).hasSizeGreaterThanOrEqualTo(6);
        assertThat(rows.getFirst()).startsWith("Mod | Default site | shadow-ban | ban:").contains("link farming");
        assertThat(rows.subList(1, 6)).allMatch(r -> r.startsWith("Mod | ")).extracting(r -> r.replaceAll(
                "comment:\\d+", "comment")).containsExactly(
                "Mod | Default site | approve | comment | pending → approved",
                "Mod | Default site | approve | comment | pending → approved",
                "Mod | Default site | hold | comment | deleted → pending",
                "Mod | Default site | reject | comment | pending → deleted",
                "Mod | Default site | approve | comment | pending → approved");
    }

    @Test
    void aModeratorSelectsWithTheKeyboardAndActsOnTheSelectionWhileAnotherModeratorGotToOneFirst() {
        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        var thread = server.thread("selection");
        server.post(thread, null, "Select A");
        long b = server.post(thread, null, "Select B");
        server.post(thread, null, "Select C");
        server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");

        browser.clearCookies();
        signIn("mod@example.com");
        browser.get(server.base() + "/admin/queue?queue=pending&thread=selection");
        assertThat(queueTexts()).containsExactly("Select C", "Select B", "Select A");
        press("x");
        press("j");
        press("x");
        press("j");
        press("x");
        press("x"); // changed my mind about A
        assertThat(browser.driver().findElements(By.cssSelector("input.select")).stream()
                .map(WebElement::isSelected).toList()).containsExactly(true, true, false);

        // meanwhile, in another tab, B is marked as spam
        var other = server.client();
        other.get("/signin");
        other.post("/signin", java.util.Map.of("email", "mod@example.com", "password", PASSWORD));
        other.get("/admin/bans");
        assertThat(other.post("/admin/comments/" + b + "/spam", java.util.Map.of("expected", "pending")).statusCode())
                .isEqualTo(302);

        actBy(browser.driver().findElement(By.cssSelector("#selection button[value='approve']")));
        String result = browser.visible(By.id("bulk-result")).getText();
        assertThat(result).contains("approve: 1 comment done.", "1 left alone",
                "Comment " + b + " is now spam (you saw pending).");
        assertThat(queueTexts()).containsExactly("Select A");

        act("u"); // the undo of the selection puts C back
        assertThat(browser.visible(By.id("bulk-result")).getText()).contains("undo: 1 comment done.");
        assertThat(queueTexts()).containsExactly("Select C", "Select A");
    }

    private static void signIn(String email) {
        browser.get(server.base() + "/signin");
        browser.visible(By.id("email")).sendKeys(email);
        browser.driver().findElement(By.id("password")).sendKeys(PASSWORD);
        submit(browser.driver().findElement(By.xpath("//main//button[normalize-space()='Sign in']")));
    }

    private static String pageText(String path) {
        browser.get(server.base() + path);
        return browser.visible(By.id("main")).getText();
    }

    /** A key pressed wherever the focus is, as a person would (no element targeted). */
    private static void press(String key) {
        new Actions(browser.driver()).sendKeys(key).perform();
    }

    /** A key that acts (posts a form in the background): waits for the queue's view the server sends back. */
    private static void act(String key) {
        WebElement view = browser.driver().findElement(By.id("queue-view"));
        press(key);
        browser.awaitReplaced(view);
        browser.visible(By.id("queue-view"));
    }

    /** The same for a button of the queue page. */
    private static void actBy(WebElement button) {
        WebElement view = browser.driver().findElement(By.id("queue-view"));
        button.click();
        browser.awaitReplaced(view);
        browser.visible(By.id("queue-view"));
    }

    /** The count on a queue's tab. */
    private static String tabCount(String queue) {
        return browser.driver().findElement(By.cssSelector("#tab-" + queue + " .count")).getText();
    }

    private static void submit(WebElement button) {
        WebElement page = browser.driver().findElement(By.tagName("html"));
        button.click();
        browser.awaitReplaced(page);
    }

    private static String result() {
        return browser.visible(By.id("result")).getText();
    }

    private static List<String> queueTexts() {
        return browser.driver().findElements(By.cssSelector(".queue-item .comment-body")).stream()
                .map(WebElement::getText).toList();
    }

    private static String focusedText() {
        WebElement active = browser.driver().switchTo().activeElement();
        assertThat(active.getDomAttribute("class")).contains("queue-item", "focused");
        return active.findElement(By.cssSelector(".comment-body")).getText();
    }
}
