package org.parley.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.parley.testing.Browser;
import org.parley.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread page read in Chromium set to Arabic, then to French: the page says its language and, for Arabic, that
 * it runs right to left, lays out without sideways scroll, and shows each comment's time relative to now in that
 * language ("الآن", "il y a 2 heures"), the exact time in the reader's own zone on hover. Screenshots in
 * {@code target/screenshots/}.
 */
class LanguagesBrowserIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static Browser browser;

    @BeforeAll
    static void start() {
        // Chromium first: "just now" lasts a minute, and a loaded machine can take much of one to start a browser
        browser = Browser.withJavaScript();
        var thread = server.thread("languages");
        server.post(thread, null, "A comment written just now");
        long older = server.post(thread, null, "A comment from two hours ago");
        int shard = org.parley.data.Ids.shardOf(older);
        server.parley().databases().write(shard).execute("UPDATE " + org.parley.data.ShardRouter.schemaOf(shard)
                + ".comment SET created_at = now() - interval '2 hours 5 minutes' WHERE id = " + older);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void anArabicReaderGetsARightToLeftPageWithTimesInArabic() {
        browser.acceptLanguage("ar");
        browser.viewport(375, 800);
        browser.get(server.base() + TestServer.standalonePath("languages") + "?sort=oldest");
        browser.awaitDiscussionReady();
        WebElement html = browser.driver().findElement(By.tagName("html"));
        assertThat(html.getDomAttribute("lang")).isEqualTo("ar");
        assertThat(html.getDomAttribute("dir")).isEqualTo("rtl");
        assertThat(browser.scrollsSideways()).isFalse();
        browser.waiting().until(d -> times()[0].equals("الآن"));
        assertThat(times()[1]).contains("قبل").contains("ساعت");
        assertThat(browser.driver().findElement(By.cssSelector("section.discussion time")).getDomAttribute("title"))
                .isNotBlank();
        browser.screenshot("thread-ar-375");
    }

    @Test
    void aFrenchReaderGetsTimesInFrench() {
        browser.acceptLanguage("fr-FR,fr;q=0.9");
        browser.viewport(1280, 900);
        browser.get(server.base() + TestServer.standalonePath("languages") + "?sort=oldest");
        browser.awaitDiscussionReady();
        assertThat(browser.driver().findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("fr");
        browser.waiting().until(d -> times()[0].equals("maintenant"));
        assertThat(times()[1]).isEqualTo("il y a 2 heures");
    }

    /** The comments' times as shown, in page order (oldest first: "just now" was posted first). */
    private static String[] times() {
        return browser.driver().findElements(By.cssSelector("section.discussion time")).stream()
                .map(WebElement::getText).toArray(String[]::new);
    }
}
