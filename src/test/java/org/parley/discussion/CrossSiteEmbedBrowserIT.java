package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.parley.testing.Browser;
import org.parley.testing.CrossSiteParley;
import org.parley.testing.HostSite;
import org.parley.testing.TestServer;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embed as readers meet it, reached the two ways a browser on the machine reaches Parley: by name,
 * {@code http://localhost:P} (Chromium tries {@code ::1} first, so the visitor is an IPv6 client), and by address,
 * {@code http://127.0.0.1:P} — each time with the article on the other name, a different site, so the thread runs
 * in a real cross-site iframe under the site's frame-ancestors policy. What a returning reader, a guest voting,
 * a reader paging through a long thread and a site owner with a wrong setting each see. One browser and one
 * Parley for the class; each test is a new visitor (cookies cleared), threads are made once and shared.
 */
class CrossSiteEmbedBrowserIT {
    /** Top-level comments on the long thread: "load more" has two more pages to bring (50 per page). */
    private static final int LONG_THREAD = 120;
    private static final int PAGE = 50;

    /** How the browser reaches Parley, and where the article embedding it lives (the other name: cross-site). */
    enum Via {
        LOCALHOST("localhost", "127.0.0.1"),
        IPV4("127.0.0.1", "localhost");

        final String parleyHost;
        final String blogHost;

        Via(String parleyHost, String blogHost) {
            this.parleyHost = parleyHost;
            this.blogHost = blogHost;
        }
    }

    private static CrossSiteParley parley;
    private static TestServer server;
    private static HostSite blog;
    private static Browser browser;
    private static int port;
    private Discussion discussion;

    @BeforeAll
    static void start() {
        // the blog under both names may embed the default site; under [::1] it may not
        parley = CrossSiteParley.start(Via.LOCALHOST.blogHost, Via.IPV4.blogHost);
        port = parley.port();
        server = parley.server();
        blog = parley.blog();
        browser = parley.browser();
        var thread = server.thread("long");
        for (int i = 1; i <= LONG_THREAD; i++) {
            server.post(thread, null, "Long thread comment " + i);
        }
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    @BeforeEach
    void newVisitor() {
        browser.driver().switchTo().defaultContent();
        browser.clearCookies();
        browser.takeConsoleMessages();
        discussion = new Discussion(browser, true);
    }

    /** No CSP violation (a refused frame logs one), script error or failed load in the page or the frame. */
    @AfterEach
    void consoleStaysClean() {
        assertThat(browser.takeConsoleMessages()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void aReturningReaderSeesTheEmbedAgainFromTheRevalidatedCopy(Via via) {
        String key = "revisit-" + via.name().toLowerCase();
        server.post(server.thread(key), null, "Worth coming back for");
        enterFrame(openArticle(via, key));
        assertThat(discussion.heading()).isEqualTo("1 comment");

        enterFrame(openArticle(via, key)); // the same article again: the browser revalidates its copy of the frame

        assertThat(discussion.bodies()).containsExactly("Worth coming back for");
        assertThat(browser.location()).startsWith(parley(via) + "/embed/default?");
        Map<?, ?> navigation = (Map<?, ?>) browser.driver().executeScript("""
                const n = performance.getEntriesByType('navigation')[0];
                return {transfer: n.transferSize, body: n.encodedBodySize};""");
        long transferred = ((Number) navigation.get("transfer")).longValue();
        long body = ((Number) navigation.get("body")).longValue();
        assertThat(transferred).as("a 304: only headers came over the network for a %d-byte page", body)
                .isPositive().isLessThan(body);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void aGuestsVoteAsksThemToSignInInsideTheFrameAndTheyCanReportOnceSignedUp(Via via) {
        String key = "vote-" + via.name().toLowerCase();
        server.post(server.thread(key), null, "Vote for me");
        enterFrame(openArticle(via, key));

        submit(Discussion.upvoteButton(discussion.comment("Vote for me")));

        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Please sign in");
        assertThat(browser.visible(By.cssSelector(".error-message")).getText()).isEqualTo("Sign in to vote.");
        assertThat(browser.location()).as("inside the frame, not a blocked one").startsWith(parley(via) + "/c/");
        expectConsole("401");

        follow(browser.visible(By.linkText("Sign up")));
        browser.visible(By.id("name")).sendKeys("Voter " + via);
        browser.visible(By.id("email")).sendKeys("voter-" + via.name().toLowerCase() + "@example.com");
        browser.visible(By.id("password")).sendKeys(TestServer.PASSWORD);
        submit(browser.visible(By.xpath("//main//button[normalize-space()='Sign up']")));
        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Voter " + via);

        follow(discussion.comment("Vote for me").findElement(By.linkText("Report")));
        browser.visible(By.xpath("//label[normalize-space()='Spam or advertising']")).click();
        submit(browser.visible(By.xpath("//main//button[normalize-space()='Send report']")));

        assertThat(discussion.bodies()).as("back in the frame after Send report").containsExactly("Vote for me");
        assertThat(browser.location()).startsWith(parley(via) + "/embed/default?");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void loadMoreAppendsTheNextPageInPlaceAndKeepsTheReadersPlace(Via via) {
        WebElement frame = openArticle(via, "long");
        enterFrame(frame);
        assertThat(discussion.bodies()).hasSize(PAGE);
        var driver = browser.driver();
        driver.executeScript("window.parleyFirstDocument = true;");

        for (int loaded = PAGE; loaded < LONG_THREAD; loaded += PAGE) {
            WebElement more = browser.visible(By.linkText("Load more comments"));
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", more);
            WebElement lastRead = discussion.comment("Long thread comment " + loaded);
            long lastReadTop = top(lastRead);
            long linkTop = top(more);
            long hostScroll = hostScrollY(frame);
            more.click();

            int expected = Math.min(loaded + PAGE, LONG_THREAD);
            browser.waiting().until(d -> discussion.bodies().size() == expected);
            WebElement firstNew = discussion.comment("Long thread comment " + (loaded + 1));
            assertThat(driver.switchTo().activeElement()).as("focus on the first new comment").isEqualTo(firstNew);
            assertThat(top(lastRead)).as("nothing above moved").isEqualTo(lastReadTop);
            assertThat(top(firstNew)).as("the new comments start where the link was")
                    .isGreaterThan(lastReadTop).isLessThanOrEqualTo(linkTop);
            assertThat(hostScrollY(frame)).as("the article did not scroll").isEqualTo(hostScroll);
        }

        assertThat(driver.executeScript("return window.parleyFirstDocument === true")).as("no navigation").isEqualTo(true);
        List<String> bodies = discussion.bodies();
        assertThat(bodies.getFirst()).isEqualTo("Long thread comment 1");
        assertThat(bodies.get(PAGE)).isEqualTo("Long thread comment " + (PAGE + 1));
        assertThat(bodies.getLast()).isEqualTo("Long thread comment " + LONG_THREAD);
        assertThat(driver.findElements(By.linkText("Load more comments"))).as("nothing more to load").isEmpty();
    }

    /** The comments load more brings are completed for a signed-in reader too: their vote there is accepted. */
    @Test
    void aMemberVotesOnACommentThatLoadMoreBrought() {
        enterFrame(openArticle(Via.LOCALHOST, "long"));
        discussion.signUp("Pager", "pager@example.com", TestServer.PASSWORD);
        browser.visible(By.linkText("Load more comments")).click();
        browser.waiting().until(d -> discussion.bodies().size() == 2 * PAGE);

        discussion.upvote("Long thread comment 75");

        assertThat(Discussion.upvoteButton(discussion.comment("Long thread comment 75")).getDomAttribute("aria-pressed"))
                .isEqualTo("true");
        assertThat(Discussion.score(discussion.comment("Long thread comment 75"))).isEqualTo("1");
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void theFrameShrinksBackWhenAReplyFormIsClosed(Via via) {
        String key = "shrink-" + via.name().toLowerCase();
        server.post(server.thread(key), null, "Reply to me, then think better of it");
        WebElement frame = openArticle(via, key);
        enterFrame(frame);
        long before = settledHeight(frame);

        discussion.comment("Reply to me").findElement(By.linkText("Reply")).click();
        browser.visible(By.cssSelector(".comment .comment-form textarea"));
        long open = settledHeight(frame);
        assertThat(open).as("the frame grew for the form").isGreaterThan(before + 50);

        browser.visible(By.xpath("//li[contains(@class, 'comment')]//button[normalize-space()='Cancel']")).click();
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".comment .comment-form")));

        assertThat(settledHeight(frame)).as("the frame shrank back, no blank gap").isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void anArticleOnAnOriginTheSiteDoesNotAllowShowsTheOwnerWhatToAddInTheFrame(Via via) {
        String stranger = blog.origin("[::1]");
        browser.get(blog.page(stranger, parley(via), "refused"));
        enterFrame(browser.visible(By.cssSelector("#parley_thread iframe")), By.tagName("h1"));

        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Comments cannot be shown on this page");
        assertThat(browser.visible(By.tagName("main")).getText())
                .contains("this page is on " + stranger)
                .contains("Add " + stranger + " on a line of its own under “Origins allowed to embed this site”");
        WebElement settings = browser.visible(By.linkText("/admin/sites/" + server.site().id()));
        assertThat(settings.getDomAttribute("target")).isEqualTo("_blank");
        expectConsole("403");
    }

    private String parley(Via via) {
        return "http://" + via.parleyHost + ":" + port;
    }

    /** Opens the article for {@code key} on the blog's other name and returns the iframe embed.js put in it. */
    private WebElement openArticle(Via via, String key) {
        browser.driver().switchTo().defaultContent();
        browser.get(blog.page(blog.origin(via.blogHost), parley(via), key));
        return browser.visible(By.cssSelector("#parley_thread iframe"));
    }

    private void enterFrame(WebElement frame) {
        enterFrame(frame, By.id("discussion-heading"));
        discussion.heading();
    }

    /** Switches into the frame once it shows {@code shown}; a frame the browser refused never does. */
    private void enterFrame(WebElement frame, By shown) {
        browser.driver().switchTo().defaultContent();
        browser.waiting().until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(frame));
        browser.visible(shown);
    }

    /**
     * The frame's height once it matches what the page inside reports as its content's height (the host's embed.js
     * sets it from the frame's message). Leaves the driver inside the frame.
     */
    private long settledHeight(WebElement frame) {
        var driver = browser.driver();
        return browser.waiting().until(d -> {
            driver.switchTo().defaultContent();
            long outer = frame.getSize().getHeight();
            driver.switchTo().frame(frame);
            long inner = ((Number) driver.executeScript(
                    "return Math.ceil(document.documentElement.getBoundingClientRect().height);")).longValue();
            return outer == Math.max(inner, 160) ? outer : null;
        });
    }

    /** The host page's scroll position; leaves the driver inside the frame. */
    private long hostScrollY(WebElement frame) {
        var driver = browser.driver();
        driver.switchTo().defaultContent();
        long y = ((Number) driver.executeScript("return Math.round(window.scrollY);")).longValue();
        driver.switchTo().frame(frame);
        return y;
    }

    private long top(WebElement element) {
        return ((Number) browser.driver().executeScript(
                "return Math.round(arguments[0].getBoundingClientRect().top);", element)).longValue();
    }

    /** The browser logs an error status of a page it shows; only the one this step expects may be there. */
    private void expectConsole(String status) {
        assertThat(browser.takeConsoleMessages()).allSatisfy(m -> assertThat(m).contains(status));
    }

    private void submit(WebElement button) {
        WebElement page = browser.driver().findElement(By.tagName("html"));
        button.click();
        browser.awaitReplaced(page);
    }

    private void follow(WebElement link) {
        submit(link);
    }
}
