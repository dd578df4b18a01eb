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
import org.parley.testing.TestServer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blog moving from Disqus changes only its script addresses: its article keeps Disqus's universal embed code
 * (#disqus_thread, disqus_config with page.url, page.identifier, page.title and callbacks, the script element
 * appended to head) and its list keeps Disqus's count links. On another origin than Parley, in Chromium: the
 * thread shows, a reader posts, the callbacks are called, DISQUS.reset shows another page's thread, and three
 * counts are filled from one request.
 */
class DisqusShapesBrowserIT {
    private static CrossSiteParley parley;
    private static TestServer server;
    private static HostSite blog;
    private static Browser browser;
    private static int port;
    private static String blogOrigin;

    @BeforeAll
    static void start() {
        parley = CrossSiteParley.start("127.0.0.1");
        port = parley.port();
        server = parley.server();
        blog = parley.blog();
        browser = parley.browser();
        blogOrigin = blog.origin("127.0.0.1");
        var threads = new ThreadRepository(server.parley().databases());
        long site = server.site().id();
        // as import-disqus leaves them: keyed by their Disqus identifier, with their page's address
        var first = threads.findOrCreate(site, "first-post", blogOrigin + "/posts/first/", "First post");
        server.post(first, null, "The only comment on the first post.");
        var second = threads.findOrCreate(site, "second-post", blogOrigin + "/posts/second/", "Second post");
        server.post(second, null, "One on the second post.");
        server.post(second, null, "Two on the second post.");
        new org.parley.sso.SsoSettingsRepository(server.parley().databases().main()).save(site,
                new org.parley.sso.SsoSettings(SingleSignOnBrowserIT.SECRET, null, null, java.time.Duration.ofHours(2)),
                false);
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void aDisqusPageShowsTheThreadTakesACommentAndFillsItsCountsFromOneRequest() {
        browser.clearCookies();
        browser.get(blog.publish(blogOrigin, "/posts/second/", articleWithDisqusCode()));

        List<WebElement> counts = List.of(browser.visible(By.id("count-first")), browser.visible(By.id("count-second")),
                browser.visible(By.id("count-none")));
        browser.waiting().until(d -> counts.stream().noneMatch(c -> c.getText().equals("Comments")));
        assertThat(counts).extracting(WebElement::getText).containsExactly("1 comment", "2 comments", "No comments");
        assertThat(browser.driver().executeScript(
                "return performance.getEntriesByType('resource').filter(e => e.name.includes('/counts/')).length"))
                .as("every count from one request").isEqualTo(1L);

        Discussion discussion = enterFrame();
        assertThat(discussion.heading()).isEqualTo("2 comments");
        assertThat(discussion.bodies()).containsExactly("One on the second post.", "Two on the second post.");
        discussion.postAsGuest("Moved Reader", "Commenting through the Disqus code.");
        assertThat(discussion.bodies()).contains("Commenting through the Disqus code.");

        browser.driver().switchTo().defaultContent();
        browser.waiting().until(d -> browser.driver().executeScript("return (window.newComments || []).length") != null
                && ((Number) browser.driver().executeScript("return (window.newComments || []).length")).intValue() == 1);
        assertThat(browser.driver().executeScript("return window.newComments[0].text"))
                .isEqualTo("Commenting through the Disqus code.");
        assertThat(((Number) browser.driver().executeScript("return window.readyCalls || 0")).intValue())
                .as("onReady, once per frame load (the post loaded it again)").isGreaterThanOrEqualTo(2);
    }

    @Test
    void disqusResetShowsAnotherPagesThread() {
        browser.clearCookies();
        browser.get(blog.publish(blogOrigin, "/posts/second/", articleWithDisqusCode()));
        assertThat(enterFrame().heading()).as("the second post, whatever was posted to it").endsWith("comments");
        browser.driver().switchTo().defaultContent();

        browser.driver().executeScript("""
                DISQUS.reset({reload: true, config: function () {
                    this.page.identifier = 'first-post';
                    this.page.url = arguments[0] + '/posts/first/';
                    this.page.title = 'First post';
                }});""".replace("arguments[0]", "'" + blogOrigin + "'"));

        Discussion discussion = enterFrame();
        assertThat(discussion.heading()).isEqualTo("1 comment");
        assertThat(discussion.bodies()).containsExactly("The only comment on the first post.");
        browser.driver().switchTo().defaultContent();
        assertThat(browser.driver().findElements(By.cssSelector("#disqus_thread iframe"))).hasSize(1);
    }

    /** Disqus's single sign-on: the payload in disqus_config's page.remote_auth_s3. */
    @Test
    void remoteAuthS3InDisqusConfigSignsTheReaderIn() {
        browser.clearCookies();
        String payload = SingleSignOnBrowserIT.payload(SingleSignOnBrowserIT.user("shim-7", "Shim Reader"),
                java.time.Instant.now().getEpochSecond(), false);
        String page = articleWithDisqusCode().replace("this.page.title = 'Second post';",
                "this.page.title = 'Second post';\n this.page.remote_auth_s3 = '" + payload + "';");
        browser.get(blog.publish(blogOrigin, "/posts/second/sso", page));

        Discussion discussion = enterFrame();
        browser.waiting().until(d -> !d.findElements(By.cssSelector(".discussion > .comment-form .signed-in")).isEmpty());
        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Shim Reader");
    }

    private Discussion enterFrame() {
        browser.driver().switchTo().defaultContent();
        WebElement frame = browser.visible(By.cssSelector("#disqus_thread iframe"));
        browser.waiting().until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(frame));
        browser.waiting().until(d -> !d.findElements(By.id("discussion-heading")).isEmpty());
        return new Discussion(browser, true);
    }

    /** A blog article with Disqus's universal embed code and count links; only the script addresses are Parley's. */
    private static String articleWithDisqusCode() {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Second post</title></head>
                <body>
                <nav><ul>
                  <li><a id="count-first" href="%1$s/posts/first/#disqus_thread">Comments</a></li>
                  <li><span id="count-second" class="disqus-comment-count" data-disqus-identifier="second-post">Comments</span></li>
                  <li><span id="count-none" class="disqus-comment-count" data-disqus-identifier="no-such-post">Comments</span></li>
                </ul></nav>
                <article><h1>Second post</h1><p>Text.</p></article>
                <div id="disqus_thread"></div>
                <script>
                    var disqus_config = function () {
                        this.page.url = '%1$s/posts/second/';
                        this.page.identifier = 'second-post';
                        this.page.title = 'Second post';
                        this.callbacks.onReady = [function () { window.readyCalls = (window.readyCalls || 0) + 1; }];
                        this.callbacks.onNewComment = [function (comment) {
                            window.newComments = (window.newComments || []).concat([comment]);
                        }];
                    };
                    (function () {
                        var d = document, s = d.createElement('script');
                        s.src = '%2$s/disqus/default/embed.js';
                        s.setAttribute('data-timestamp', +new Date());
                        (d.head || d.body).appendChild(s);
                    })();
                </script>
                <script id="dsq-count-scr" src="%2$s/disqus/default/count.js" async></script>
                </body></html>
                """.formatted(blogOrigin, "http://localhost:" + port);
    }
}
