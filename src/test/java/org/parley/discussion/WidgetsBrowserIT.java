package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.parley.testing.Browser;
import org.parley.testing.CrossSiteParley;
import org.parley.testing.HostSite;
import org.parley.testing.TestServer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parley's widgets on a site's pages on another origin, in Chromium: the count script (elements naming a thread by
 * key or by page address get "N comments" in the page's language, all from one request, and again after the list
 * changed) and the "recent comments" list (as text, never as HTML).
 */
class WidgetsBrowserIT {
    private static CrossSiteParley parley;
    private static TestServer server;
    private static HostSite blog;
    private static Browser browser;
    private static String blogOrigin;

    @BeforeAll
    static void start() {
        parley = CrossSiteParley.start("127.0.0.1");
        server = parley.server();
        blog = parley.blog();
        browser = parley.browser();
        blogOrigin = blog.origin("127.0.0.1");
        var threads = new ThreadRepository(server.parley().databases());
        var one = threads.findOrCreate(server.site().id(), "one", blogOrigin + "/one/", "One");
        server.post(one, null, "Eins");
        var keyedByAddress = threads.findOrCreate(server.site().id(), blogOrigin + "/three/", blogOrigin + "/three/", "Three");
        for (int i = 0; i < 3; i++) {
            server.post(keyedByAddress, null, "Drei " + i);
        }
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void anArticleListGetsItsCountsInItsLanguageFromOneRequest() {
        browser.get(blog.publish(blogOrigin, "/list", """
                <!DOCTYPE html>
                <html lang="de"><head><meta charset="utf-8"><title>Artikel</title></head>
                <body><ul id="list">
                  <li><a id="one" href="/one/#comments" data-parley-count data-key="one">Kommentare</a></li>
                  <li><span id="three" data-parley-count data-url="%1$s/three/">Kommentare</span></li>
                  <li><span id="none" data-parley-count data-key="nobody-yet">Kommentare</span></li>
                </ul>
                <script src="%2$s/count.js" data-site="default" async></script>
                </body></html>
                """.formatted(blogOrigin, parley.parley("localhost"))));

        List<WebElement> counts = List.of(browser.visible(By.id("one")), browser.visible(By.id("three")),
                browser.visible(By.id("none")));
        browser.waiting().until(d -> counts.stream().noneMatch(c -> c.getText().equals("Kommentare")));

        assertThat(counts).extracting(WebElement::getText).containsExactly("1 Kommentar", "3 Kommentare",
                "Keine Kommentare");
        assertThat(browser.driver().executeScript(
                "return performance.getEntriesByType('resource').filter(e => e.name.includes('/counts/')).length"))
                .as("every count from one request").isEqualTo(1L);

        browser.driver().executeScript("""
                const li = document.createElement('li');
                li.innerHTML = '<span id="later" data-parley-count data-key="one">Kommentare</span>';
                document.getElementById('list').appendChild(li);
                parley.counts();""");
        browser.waiting().until(d -> browser.visible(By.id("later")).getText().equals("1 Kommentar"));
    }

    @Test
    void theRecentCommentsWidgetListsTheNewestAsText() {
        server.post(server.thread("widget-recent"), null, "The newest <script>window.pwned = 1</script> **bold** one");
        browser.get(blog.publish(blogOrigin, "/sidebar", """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Sidebar</title></head>
                <body><aside><h2>Recent comments</h2><div id="recent" data-parley-recent data-site="default" data-limit="2"></div></aside>
                <script src="%s/recent.js" async></script>
                </body></html>
                """.formatted(parley.parley("localhost"))));

        List<WebElement> items = browser.waiting().until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("#recent ul.parley-recent > li"));
            return found.isEmpty() ? null : found;
        });

        assertThat(items).hasSize(2);
        WebElement newest = items.getFirst().findElement(By.cssSelector("a.parley-recent-excerpt"));
        // the comment showed the script tag as text, and so does the widget: set as text, it never runs
        assertThat(newest.getText()).isEqualTo("The newest <script>window.pwned = 1</script> bold one");
        assertThat(newest.getDomAttribute("href")).startsWith(server.settings().get("PARLEY_PUBLIC_URL").replaceAll("/$", "") + "/c/");
        assertThat(items.getFirst().getText()).contains("— Guest, widget-recent");
        assertThat(browser.driver().executeScript("return window.pwned === undefined")).isEqualTo(true);
    }
}
