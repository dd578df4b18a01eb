package org.parley.discussion;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.parley.testing.Browser;
import org.parley.testing.FreePort;
import org.parley.testing.TestServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a visitor lands, in Chromium with JavaScript, reaching Parley as users do at {@code http://localhost:…}:
 * a permalink to a comment on page 3 opens page 3 scrolled to it and highlighted; a reply on a 120-comment thread
 * lands on its page, scrolled to, highlighted and confirmed, standalone and in a host page's frame on another
 * origin; and a key full of path characters opens on its own page from the embed's link.
 */
class NavigationBrowserIT {
    private static TestServer server;
    private static HttpServer host;
    private static Browser browser;
    private static String parley;
    private static String hostOrigin;
    private Discussion discussion;

    @BeforeAll
    static void start() throws IOException {
        int port = FreePort.find();
        parley = "http://localhost:" + port;
        server = TestServer.start(Map.of("PARLEY_PORT", Integer.toString(port), "PARLEY_PUBLIC_URL", parley));
        host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        host.createContext("/", NavigationBrowserIT::hostPage);
        host.start();
        hostOrigin = "http://127.0.0.1:" + host.getAddress().getPort();
        server.mainSql("INSERT INTO main.site_origin (site_id, origin) SELECT id, '" + hostOrigin
                + "' FROM main.site WHERE name = 'default'");
        browser = Browser.withJavaScript();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (host != null) {
            host.stop(0);
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newVisitor() {
        browser.driver().switchTo().defaultContent();
        browser.clearCookies();
        browser.takeConsoleMessages();
        discussion = new Discussion(browser, true);
    }

    @AfterEach
    void consoleStaysClean() {
        assertThat(browser.takeConsoleMessages()).isEmpty();
    }

    @Test
    void aPermalinkToACommentOnPage3OpensPage3ScrolledToItAndHighlighted() {
        List<Long> ids = build("permalink", 130);

        browser.get(parley + "/c/" + ids.get(114));

        WebElement target = landedOn(ids.get(114));
        assertThat(browser.location()).contains("?sort=oldest&after=" + ids.get(99) + "#comment-" + ids.get(114));
        assertThat(discussion.bodies()).hasSize(30).first().isEqualTo("Comment 101 of permalink");
        assertThat(target.getText()).contains("Comment 115 of permalink");

        browser.get(parley + "/c/" + ids.get(9) + "?sort=newest"); // the 121st newest: page 3 too
        landedOn(ids.get(9));
        assertThat(browser.location()).contains("?sort=newest&after=" + ids.get(30) + "#comment-" + ids.get(9));
    }

    @Test
    void aReplyOnA120CommentThreadLandsOnItsPageScrolledToHighlightedAndConfirmed() {
        List<Long> ids = build("reply", 120);
        browser.get(parley + TestServer.standalonePath("reply"));
        discussion.heading();
        // to the third page as a reader gets there (whether "load more" appends or opens the next page)
        for (String first : List.of("Comment 51 of reply", "Comment 101 of reply")) {
            browser.visible(By.linkText("Load more comments")).click();
            discussion.comment(first);
        }

        long reply = replyInlineAsGuest("Comment 110 of reply", "Nina", "A reply on the third page");

        WebElement target = landedOn(reply);
        // the page that ends with comment 110, so the 49 before it are above it (CommentRepository.pageEndingAt)
        assertThat(browser.location()).contains("?sort=oldest&after=" + ids.get(59) + "&posted=approved#comment-" + reply);
        assertThat(Discussion.depth(target)).isEqualTo(1);
        assertThat(target.findElement(By.cssSelector(".notice[role=status]")).getText())
                .as("the confirmation beside the comment").isEqualTo("Thanks! Your comment is posted.");
    }

    @Test
    void postingInTheEmbedOnA120CommentThreadLandsOnItsPageInTheFrame() {
        List<Long> ids = build("framed", 120);
        WebElement frame = openHostPage("framed");
        browser.waiting().until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(frame));
        discussion.heading();

        discussion.postAsGuest("Fern", "Posted in the frame on page three");

        WebElement posted = discussion.comment("Posted in the frame on page three");
        long id = Long.parseLong(posted.getDomAttribute("id").substring("comment-".length()));
        landedOn(id);
        assertThat(browser.location()).startsWith(parley + "/embed/default?")
                .contains("&sort=oldest&after=" + ids.get(70) + "&posted=approved#comment-" + id);
        assertThat(posted.findElement(By.cssSelector(".notice[role=status]")).getText())
                .isEqualTo("Thanks! Your comment is posted.");
    }

    @Test
    void aKeyFullOfPathCharactersOpensOnItsOwnPageFromTheEmbed() {
        String key = "/blog/../2024/11/a%20b?c#d/";
        WebElement frame = openHostPage(key);
        browser.waiting().until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(frame));
        discussion.postAsGuest("Kai", "A comment on a tricky key");
        String frameWindow = browser.driver().getWindowHandle();

        browser.driver().findElement(By.linkText("Open this discussion on its own page")).click();
        browser.waiting().until(d -> d.getWindowHandles().size() == 2);
        String tab = browser.driver().getWindowHandles().stream().filter(h -> !h.equals(frameWindow)).findFirst().orElseThrow();
        browser.driver().switchTo().window(tab);
        try {
            assertThat(discussion.heading()).isEqualTo("1 comment");
            assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("An article about " + key);
            discussion.comment("A comment on a tricky key").findElement(By.cssSelector("header > a")).click();
            discussion.heading();
            assertThat(browser.location()).startsWith(parley + ThreadUrls.standalone("default", key) + "#comment-");
        } finally {
            browser.driver().close();
            browser.driver().switchTo().window(frameWindow);
        }
    }

    /**
     * The page the visitor is on shows comment {@code id} scrolled into the window, marked (a bar three times as
     * wide: not colour alone) and focused, so a screen reader starts there. In a frame, "the window" is the host
     * page's.
     */
    private WebElement landedOn(long id) {
        WebElement target = browser.visible(By.id("comment-" + id));
        browser.waiting().until(d -> target.getDomAttribute("class").contains("targeted"));
        assertThat(browser.driver().executeScript("return document.activeElement.id")).isEqualTo("comment-" + id);
        assertThat(target.getCssValue("border-left-width")).isEqualTo("6px");
        assertThat(browser.driver().findElements(By.cssSelector(".comment.targeted"))).hasSize(1);
        double top = ((Number) browser.driver().executeScript("return arguments[0].getBoundingClientRect().top", target)).doubleValue();
        boolean framed = (Boolean) browser.driver().executeScript("return window.parent !== window");
        if (framed) {
            browser.driver().switchTo().parentFrame();
            WebElement frame = browser.driver().findElement(By.cssSelector("#parley_thread iframe"));
            top += ((Number) browser.driver().executeScript("return arguments[0].getBoundingClientRect().top", frame)).doubleValue();
        }
        double height = ((Number) browser.driver().executeScript("return window.innerHeight")).doubleValue();
        assertThat(top).as("the comment's top in the window (%s high)", height).isBetween(0.0, height - 20);
        if (framed) {
            browser.driver().switchTo().frame(browser.driver().findElement(By.cssSelector("#parley_thread iframe")));
        }
        return target;
    }

    /** Reply opens a form under the comment; a guest gives a name too. Returns the reply's id. */
    private long replyInlineAsGuest(String parentText, String name, String body) {
        WebElement parent = discussion.comment(parentText);
        parent.findElement(By.linkText("Reply")).click();
        WebElement form = browser.waiting().until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(
                parent, By.cssSelector(":scope > .comment-form"))).getFirst();
        form.findElement(By.cssSelector("input[name=name]")).sendKeys(name);
        form.findElement(By.tagName("textarea")).sendKeys(body);
        WebElement page = browser.driver().findElement(By.tagName("html"));
        form.findElement(By.xpath(".//button[normalize-space()='Post reply']")).click();
        browser.awaitReplaced(page);
        discussion.heading();
        return Long.parseLong(discussion.comment(body).getDomAttribute("id").substring("comment-".length()));
    }

    private static List<Long> build(String key, int count) {
        CommentThread thread = server.thread(key);
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(server.post(thread, null, "Comment " + i + " of " + key));
        }
        return ids;
    }

    private WebElement openHostPage(String key) {
        browser.driver().switchTo().defaultContent();
        browser.get(hostOrigin + "/page?key=" + java.net.URLEncoder.encode(key, StandardCharsets.UTF_8));
        return browser.visible(By.cssSelector("#parley_thread iframe"));
    }

    /** A host site's article page with the embed snippet, its data-key taken from ?key=. */
    private static void hostPage(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        if (!exchange.getRequestURI().getPath().equals("/page") || query == null || !query.startsWith("key=")) {
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/favicon.ico") ? 204 : 404, -1);
            exchange.close();
            return;
        }
        String key = URLDecoder.decode(query.substring("key=".length()), StandardCharsets.UTF_8);
        String attribute = key.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
        String html = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>An article about %1$s</title></head>
                <body>
                <h1>An article about %1$s</h1>
                <p>Some text the comments are about.</p>
                <div id="parley_thread" data-site="default" data-key="%1$s"></div>
                <script src="%2$s/embed.js" async></script>
                </body></html>
                """.formatted(attribute, parley);
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
