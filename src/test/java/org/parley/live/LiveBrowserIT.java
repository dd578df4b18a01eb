package org.parley.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.parley.ParleyServer;
import org.parley.data.DbUrl;
import org.parley.site.SiteRepository;
import org.parley.testing.Browser;
import org.parley.testing.FreePort;
import org.parley.testing.HostSite;
import org.parley.testing.MemcachedProcess;
import org.parley.testing.ProxyProcess;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;
import org.parley.testing.TestServer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two readers of one thread in two Chromium windows, through HAProxy in front of two Parley instances that share
 * PostgreSQL and memcached, each reader's stream on a different instance: one on Parley's own page, the other in
 * the embed of an article on another origin (http://127.0.0.1:… framing http://localhost:…). A comment posted in
 * the first window is
 * offered in the other ("1 new comment — show"), without a reload, and shown where it belongs on a click; what
 * the second reader was looking at did not move meanwhile. How soon it is offered (about a poll, 0.5 s, plus a
 * fetch) is printed, not asserted: a loaded machine must not fail the test by the clock.
 */
class LiveBrowserIT {

    @TempDir
    static Path dir;

    @Test
    void aCommentPostedInOneBrowserAppearsInTheOtherWithoutAReload() throws Exception {
        DbUrl database = TestPostgres.shared().newDatabase();
        List<ParleyServer> fleet = new ArrayList<>();
        try (MemcachedProcess memcached = MemcachedProcess.start()) {
            Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(database, 8));
            settings.put("PARLEY_PUBLIC_URL", TestServer.ORIGIN);
            settings.put("PARLEY_MEMCACHED", memcached.address());
            settings.put("PARLEY_MEMCACHED_TIMEOUT_MS", "1000"); // a loaded machine's stall is not a lost version
            settings.put("PARLEY_RATE_LIMITS", "false");
            settings.put("PARLEY_DB_CONNECT_TIMEOUT_MS", "10000");
            for (int i = 0; i < 2; i++) { // one after the other: the first migrates
                fleet.add(ParleyServer.start(TestConfig.load(settings)));
            }
            TestServer.withoutSpamChecks(fleet.getFirst());
            int statsPort = FreePort.find();
            try (ProxyProcess haproxy = ProxyProcess.haproxy(dir.resolve("haproxy"), statsPort,
                    List.of(fleet.get(0).port(), fleet.get(1).port()));
                 HostSite host = HostSite.start();
                 Browser writer = Browser.withJavaScript(); Browser reader = Browser.withJavaScript()) {
                // the reader reads the thread embedded in an article on another site
                String hostOrigin = host.origin("127.0.0.1");
                var main = fleet.getFirst().databases().main();
                main.execute("INSERT INTO main.site_origin (site_id, origin) SELECT id, '" + hostOrigin
                        + "' FROM main.site WHERE name = 'default'");
                var sites = new SiteRepository(main, fleet.getFirst().cache());
                sites.all().forEach(sites::invalidate);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        ProxyProcess.haproxyServer(statsPort, "parley", "app1").getFirst().equals("UP")
                                && ProxyProcess.haproxyServer(statsPort, "parley", "app2").getFirst().equals("UP"));
                // as a browser reaches it: localhost (IPv6 first), HAProxy listening on both loopbacks
                String base = "http://localhost:" + haproxy.port();
                String embed = base + "/embed/default?key=live-two&url="
                        + URLEncoder.encode(TestServer.ORIGIN + "/live-two", StandardCharsets.UTF_8);
                String page = base + "/t/default/live-two";
                org.parley.testing.Http.get(embed); // the first view creates the thread
                writer.get(page);
                reader.get(host.page(hostOrigin, base, "live-two"));
                reader.waiting().until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(
                        By.cssSelector("#parley_thread iframe")));
                writer.awaitDiscussionReady();
                reader.awaitDiscussionReady();
                // each reader's stream is open, one on each instance (HAProxy's leastconn for the live backend)
                await().atMost(Duration.ofSeconds(10))
                        .alias("one stream on each instance")
                        .until(() -> fleet.get(0).live().connections() + " and " + fleet.get(1).live().connections(),
                                "1 and 1"::equals);

                reader.driver().executeScript("window.parleyNoReload = 'still here'; window.scrollTo(0, 0);");
                WebElement heading = reader.driver().findElement(By.id("discussion-heading"));
                long headingTop = ((Number) reader.driver().executeScript(
                        "return arguments[0].getBoundingClientRect().top", heading)).longValue();

                writer.visible(By.cssSelector("textarea[name=body]")).sendKeys("Hello from the other window");
                writer.driver().findElement(By.cssSelector("input[name=name]")).sendKeys("Wendy");
                WebElement before = writer.driver().findElement(By.tagName("html"));
                writer.driver().findElement(By.cssSelector(".discussion > .comment-form button[type=submit]")).click();
                writer.awaitReplaced(before);
                assertThat(writer.driver().findElement(By.cssSelector("ol.comments")).getText())
                        .contains("Hello from the other window");

                long posted = System.nanoTime();
                WebElement offer = new WebDriverWait(reader.driver(), Browser.WAIT, Duration.ofMillis(50)).until(d -> {
                    WebElement button = d.findElement(By.cssSelector(".live-new"));
                    return button.isDisplayed() ? button : null;
                });
                System.out.printf("[measure] live: the new comment was offered in the other window %d ms after"
                        + " its post was shown%n", (System.nanoTime() - posted) / 1_000_000);
                assertThat(offer.getText()).isEqualTo("1 new comment — show");
                assertThat(reader.driver().findElements(By.cssSelector("ol.comments > li"))).as("nothing moved in yet")
                        .isEmpty();
                assertThat(((Number) reader.driver().executeScript("return arguments[0].getBoundingClientRect().top",
                        heading)).longValue()).as("what the reader looks at stayed put").isEqualTo(headingTop);

                offer.click();
                assertThat(reader.visible(By.cssSelector("ol.comments > li")).getText())
                        .contains("Wendy", "Hello from the other window");
                assertThat(reader.driver().findElement(By.id("discussion-heading")).getText()).isEqualTo("1 comment");
                assertThat(reader.driver().findElement(By.cssSelector(".live-new")).isDisplayed()).isFalse();
                assertThat(reader.driver().executeScript("return window.parleyNoReload")).as("no reload")
                        .isEqualTo("still here");
                // the host page has no favicon: Chromium's own request for one is not the page's doing
                assertThat(reader.takeConsoleMessages()).filteredOn(m -> !m.contains("/favicon.ico")).isEmpty();
            }
        } finally {
            for (ParleyServer server : fleet) {
                server.close();
            }
        }
    }
}
