package org.parley.moderation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.discussion.CommentForm;
import org.parley.testing.Browser;
import org.parley.testing.TestServer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console as a moderator sees it on a phone (375 px) and on a laptop (1280 px), in real Chromium: the front
 * page with its snippets, the pending queue and the reported queue. At both widths nothing scrolls sideways, the
 * "with the selected" bar is on screen, each comment shows its author's record, its time and thread, and only the
 * buttons that apply to it, the primary one first; a comment a guest reported shows the report's reason and note.
 * Screenshots of each page at each width are saved under {@code target/screenshots/} for people to look at.
 */
class ConsoleLayoutBrowserIT {
    private static final String PASSWORD = "correct horse battery";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static Browser browser;

    @BeforeAll
    static void start() {
        var accounts = new AccountRepository(server.parley().databases().main());
        long mod = accounts.create("layout-mod@example.com", "Mod", Passwords.hash(PASSWORD)).orElseThrow();
        new Moderators(server.parley().databases().main()).add(server.site().id(), mod);
        long regular = accounts.create("regular@example.com", "Rita Regular", Passwords.hash(PASSWORD)).orElseThrow();
        Account rita = new Account(regular, "regular@example.com", "Rita Regular", false);

        var thread = server.thread("layout");
        TestServer.withoutSpamChecks(server.parley());
        for (int i = 0; i < 3; i++) {
            server.comments().post(server.site(), thread, rita, new CommentForm("Rita's earlier comment " + i, null, null, null), "127.0.0.1");
        }
        long reported = server.comments().post(server.site(), thread, rita, new CommentForm(
                "A comment some readers did not like, with a long unbroken word: "
                        + "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(3), null, null, null), "127.0.0.1").id();

        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        server.comments().post(server.site(), thread, null,
                new CommentForm("A first comment from a guest, waiting for a moderator", null, "Gus Guest", "gus@example.com"),
                "127.0.0.1");
        server.comments().post(server.site(), thread, rita,
                new CommentForm("Rita again, held because the site pre-moderates", null, null, null), "127.0.0.1");
        server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
        browser = Browser.withJavaScript();
        guestReports(reported, "Insults another reader");
    }

    /** A reader without an account reports the comment from its thread page, as anyone can. */
    private static void guestReports(long comment, String note) {
        browser.clearCookies();
        browser.get(server.base() + TestServer.standalonePath("layout"));
        browser.awaitDiscussionReady();
        WebElement page = browser.driver().findElement(By.tagName("html"));
        browser.visible(By.cssSelector("#comment-" + comment + " footer a[href*='/flag']")).click();
        browser.awaitReplaced(page);
        browser.visible(By.cssSelector("input[name='reason'][value='abuse']")).click();
        browser.driver().findElement(By.id("note")).sendKeys(note);
        page = browser.driver().findElement(By.tagName("html"));
        browser.driver().findElement(By.cssSelector("main form button[type='submit']")).click();
        browser.awaitReplaced(page);
        assertThat(browser.location()).contains("/t/default/layout");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @ParameterizedTest(name = "{0} px wide")
    @ValueSource(ints = {375, 1280})
    void theConsoleFitsTheScreenAndShowsWhatAModeratorDecidesOn(int width) {
        browser.viewport(width, 900);
        signIn();

        browser.get(server.base() + "/admin");
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Console");
        WebElement card = browser.visible(By.id("site-" + server.site().id()));
        assertThat(card.getText()).contains("2 pending", "1 reported");
        assertThat(browser.scrollsSideways()).as("the front page scrolls sideways").isFalse();
        browser.screenshot("console-home-" + width);

        browser.get(server.base() + "/admin/queue?queue=pending");
        assertThat(browser.scrollsSideways()).as("the pending queue scrolls sideways").isFalse();
        assertThat(onScreen(browser.visible(By.id("selection")))).as("the selection bar is on screen").isTrue();
        assertThat(tab("pending")).isEqualTo("2");
        List<WebElement> items = browser.driver().findElements(By.cssSelector(".queue-item"));
        assertThat(items).hasSize(2);
        WebElement rita = items.getFirst();
        assertThat(rita.getText()).contains("Rita Regular", "5 comments", "in layout");
        assertThat(buttons(rita)).containsExactly("Approve", "Delete", "Spam");
        assertThat(java.util.Objects.toString(rita.findElement(By.cssSelector(".queue-actions button"))
                .getDomAttribute("class"), "")).as("the first button is the primary one").doesNotContain("quiet");
        WebElement time = rita.findElement(By.cssSelector("time"));
        assertThat(time.getText()).isIn("now", "1 minute ago", "2 minutes ago");
        assertThat(time.getDomProperty("title")).as("the exact time, in the browser's zone").matches(".*\\d{1,2}:\\d{2}.*");
        WebElement guest = items.get(1);
        assertThat(guest.getText()).contains("Gus Guest", "first comment here", "guest");
        browser.screenshot("console-pending-" + width);

        browser.get(server.base() + "/admin/queue?queue=flagged");
        assertThat(browser.scrollsSideways()).as("the reported queue scrolls sideways").isFalse();
        WebElement reported = browser.visible(By.cssSelector(".queue-item"));
        assertThat(reported.findElement(By.cssSelector(".reports")).getText())
                .contains("abuse", "Insults another reader");
        assertThat(buttons(reported)).containsExactly("Delete", "Spam", "Keep, dismiss reports");
        browser.screenshot("console-flagged-" + width);
    }

    /** The owner appoints a moderator in the site's settings; the new moderator's console shows that site only. */
    @org.junit.jupiter.api.Test
    void anAppointedModeratorSeesOnlyTheirSite() {
        var main = server.parley().databases().main();
        new AccountRepository(main).create("appointee@example.com", "Ari Appointee", Passwords.hash(PASSWORD));
        long other = new org.parley.site.SiteRepository(main).create("unrelated", "Unrelated site",
                List.of(TestServer.ORIGIN));
        browser.viewport(1280, 900);
        signIn();
        browser.get(server.base() + "/admin/sites/" + server.site().id());
        browser.visible(By.id("email")).sendKeys("appointee@example.com");
        WebElement page = browser.driver().findElement(By.tagName("html"));
        browser.driver().findElement(By.xpath("//main//button[normalize-space()='Appoint']")).click();
        browser.awaitReplaced(page);
        assertThat(browser.visible(By.id("moderators")).getText()).contains("Ari Appointee", "appointee@example.com");

        signIn("appointee@example.com");
        browser.get(server.base() + "/admin");
        assertThat(browser.visible(By.id("main")).getText()).contains("Default site").doesNotContain("Unrelated site");
        browser.get(server.base() + "/admin/queue");
        // the filters are folded away: the options' text, not what is on screen
        assertThat(browser.driver().findElements(By.cssSelector("#site option")).stream()
                .map(o -> o.getDomProperty("textContent").strip()).toList())
                .containsExactly("All my sites", "Default site");
        browser.get(server.base() + "/admin/stats?site=" + other);
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Not found");
        browser.screenshot("console-appointed-moderator-1280");
    }

    private static void signIn() {
        signIn("layout-mod@example.com");
    }

    private static void signIn(String email) {
        browser.clearCookies();
        browser.get(server.base() + "/signin");
        browser.visible(By.id("email")).sendKeys(email);
        browser.driver().findElement(By.id("password")).sendKeys(PASSWORD);
        WebElement page = browser.driver().findElement(By.tagName("html"));
        browser.driver().findElement(By.xpath("//main//button[normalize-space()='Sign in']")).click();
        browser.awaitReplaced(page);
    }

    private static List<String> buttons(WebElement item) {
        return item.findElements(By.cssSelector(".queue-actions > form button")).stream().map(WebElement::getText).toList();
    }

    private static String tab(String queue) {
        return browser.driver().findElement(By.cssSelector("#tab-" + queue + " .count")).getText();
    }

    private static boolean onScreen(WebElement element) {
        Object inside = browser.driver().executeScript("var r = arguments[0].getBoundingClientRect();"
                + "return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;",
                element);
        return Boolean.TRUE.equals(inside);
    }
}
