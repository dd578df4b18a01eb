package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.parley.testing.Browser;
import org.parley.testing.FreePort;
import org.parley.testing.HostSite;
import org.parley.testing.TestServer;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embed as a visitor meets it: a host page on one site ({@code http://127.0.0.1:…}, a {@link HostSite})
 * includes Parley's embed.js from another ({@code http://localhost:…}, over IPv6), so the thread runs in a genuinely
 * cross-site iframe, with partitioned third-party cookies, the embed's frame-ancestors policy and the height
 * messages between the two. JavaScript is on: Reply opens inline and Delete asks first.
 */
class EmbedBrowserIT {
    private static final String PASSWORD = "correct horse battery";

    private static TestServer server;
    private static HostSite host;
    private static Browser browser;
    private static String parley;
    private static String hostOrigin;
    private Discussion discussion;

    @BeforeAll
    static void start() {
        int port = FreePort.find();
        parley = "http://localhost:" + port;
        // every interface, as Parley's default: Chromium reaches localhost over ::1 first
        server = TestServer.start(Map.of("PARLEY_PORT", Integer.toString(port), "PARLEY_HOST", "0.0.0.0",
                "PARLEY_PUBLIC_URL", parley));
        host = HostSite.start();
        hostOrigin = host.origin("127.0.0.1");
        // the embed creates threads only for pages on the site's origins, and only they may frame it
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
            host.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newVisitor() {
        browser.clearCookies();
        browser.takeConsoleMessages();
        discussion = new Discussion(browser, true);
    }

    /** Nothing in the console of the host page or the frame: no CSP violation, script error or failed load. */
    @AfterEach
    void consoleStaysClean() {
        assertThat(browser.takeConsoleMessages()).isEmpty();
    }

    @Test
    void theEmbedShowsTheThreadAndTheFrameGrowsToFitIt() {
        var thread = server.thread("grows");
        for (int i = 1; i <= 6; i++) {
            server.post(thread, null, "Seeded comment number " + i);
        }
        WebElement frame = openHostPage("grows", null);

        assertThat(frame.getDomAttribute("title")).isEqualTo("Comments");
        browser.driver().switchTo().frame(frame);
        assertThat(discussion.heading()).isEqualTo("6 comments");
        assertThat(discussion.bodies()).contains("Seeded comment number 1", "Seeded comment number 6");
        browser.driver().switchTo().defaultContent();
        // the frame starts at its 160px minimum; the page inside posts its height and embed.js sets it
        browser.waiting().until(d -> frame.getSize().getHeight() > 400);
        assertThat(frame.getDomAttribute("style")).contains("height: " + frame.getSize().getHeight() + "px");
    }

    @Test
    void aGuestPostsAComment() {
        enterFrame(openHostPage("guest", null));
        assertThat(discussion.heading()).isEqualTo("No comments yet");

        discussion.postAsGuest("Grace", "Hello from a guest in the frame");

        WebElement comment = discussion.comment("Hello from a guest in the frame");
        assertThat(Discussion.author(comment)).isEqualTo("Grace");
        assertThat(discussion.heading()).isEqualTo("1 comment");

        // the next visit in this browser finds the name filled in: kept by the browser, never by the server
        browser.driver().switchTo().defaultContent();
        enterFrame(openHostPage("guest", null));
        assertThat(browser.visible(By.id("name")).getDomProperty("value")).isEqualTo("Grace");
        assertThat(browser.driver().manage().getCookies()).noneMatch(c -> c.getValue().contains("Grace"));
    }

    /**
     * "Forgot your password?" from inside the frame on another site's page: the form and its answer show in the
     * frame; the mailed link opens Parley itself, where the new password is set; back on the host page, the frame
     * signs in with it (its cookies are partitioned per host site, so the top-level sign-in does not carry over).
     */
    @Test
    void aMemberResetsAForgottenPasswordFromInsideTheFrame() {
        server.signedUp("frame-forgot@example.com", "Fo Rgot");
        enterFrame(openHostPage("forgot-frame", null));
        assertThat(discussion.askForPasswordReset("frame-forgot@example.com")).isEqualTo("Check your inbox");

        String text = server.parley().databases().main().fetchOne("SELECT payload->>'text' FROM main.outbox"
                + " WHERE payload->>'to' = 'frame-forgot@example.com' AND payload->>'subject' = 'Reset your password'")
                .get(0, String.class);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("http://localhost:\\d+/reset\\?\\S+").matcher(text);
        assertThat(link.find()).as(text).isTrue();
        browser.driver().switchTo().defaultContent();
        browser.get(link.group());
        browser.visible(By.id("password")).sendKeys("a new frame passphrase");
        browser.visible(By.xpath("//main//button[normalize-space()='Save the password and sign in']")).click();
        browser.awaitDiscussionReady();
        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Fo Rgot");
        // Parley's own page at top level: its icon is linked, so the browser asks for no /favicon.ico
        assertThat(browser.takeConsoleMessages()).isEmpty();

        enterFrame(openHostPage("forgot-frame", null));
        discussion.signIn("frame-forgot@example.com", "a new frame passphrase");
        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Fo Rgot");
    }

    @Test
    void aMemberSignsUpPostsRepliesEditsVotesAndDeletesInsideTheFrame() {
        var thread = server.thread("member");
        server.post(thread, null, "Someone else wrote this");
        enterFrame(openHostPage("member", null));

        discussion.signUp("Ada", "ada@example.com", PASSWORD);
        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Ada");
        assertThat(browser.location()).as("back in the frame, at the embed").startsWith(parley + "/embed/default?");

        discussion.post("Ada's first thought");
        assertThat(Discussion.author(discussion.comment("Ada's first thought"))).isEqualTo("Ada");

        discussion.replyInline("Ada's first thought", "Level one reply");
        discussion.replyInline("Level one reply", "Level two reply");
        discussion.replyInline("Level two reply", "Level three reply");
        assertThat(Discussion.depth(discussion.comment("Level one reply"))).isEqualTo(1);
        assertThat(Discussion.depth(discussion.comment("Level two reply"))).isEqualTo(2);
        assertThat(Discussion.depth(discussion.comment("Level three reply"))).isEqualTo(3);

        String removedId = MemberScenario.editVoteAndDelete(discussion);

        // reload the host page: the frame comes back with everything, still signed in
        browser.driver().switchTo().defaultContent();
        browser.driver().navigate().refresh();
        enterFrame(browser.visible(By.cssSelector("#parley_thread iframe")));
        assertThat(browser.driver().findElement(By.cssSelector(".discussion")).getDomAttribute("data-viewer"))
                .as("the shared page, completed by the viewer's overlay").isEqualTo("applied");
        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Ada");
        assertThat(discussion.bodies()).containsExactly("Someone else wrote this", "Ada's second thought",
                "Level two reply", "Level three reply");
        assertThat(discussion.tombstone(removedId)).isEqualTo("This comment was removed.");
        assertThat(Discussion.depth(discussion.comment("Level two reply"))).as("the reply keeps its place").isEqualTo(2);
        assertThat(Discussion.upvoteButton(discussion.comment("Someone else wrote this")).getDomAttribute("aria-pressed"))
                .isEqualTo("true");
    }

    @Test
    void aMembersPendingCommentsAreAddedToTheSharedPageAtTheirPlaceForThemAlone() {
        var thread = server.thread("pending");
        long first = server.post(thread, null, "First approved");
        server.post(thread, first, "An older reply");
        server.post(thread, null, "Second approved");
        enterFrame(openHostPage("pending", null));
        discussion.signUp("Pat", "pat@example.com", PASSWORD);

        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        try {
            discussion.replyInline("First approved", "Pat's pending reply");
            discussion.post("Pat's pending thought");
        } finally {
            server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
        }

        assertThat(browser.driver().findElement(By.cssSelector(".discussion")).getDomAttribute("data-viewer"))
                .isEqualTo("applied");
        assertThat(discussion.bodies()).containsExactly("First approved", "An older reply", "Pat's pending reply",
                "Second approved", "Pat's pending thought");
        assertThat(Discussion.depth(discussion.comment("Pat's pending reply"))).isEqualTo(1);
        assertThat(discussion.comment("Pat's pending thought").findElement(By.cssSelector(".pending-note")).getText())
                .isEqualTo("Awaiting moderation: only you can see this.");
        assertThat(discussion.heading()).as("pending comments are not counted").isEqualTo("3 comments");
        assertThat(server.client().get(TestServer.embedPath("pending")).body()).doesNotContain("pending reply", "pending thought");
    }

    @Test
    void theHostPageCanForceTheDarkTheme() {
        WebElement frame = openHostPage("dark", "dark");
        enterFrame(frame);

        WebElement html = browser.driver().findElement(By.tagName("html"));
        assertThat(html.getDomAttribute("data-theme")).isEqualTo("dark");
        assertThat(luminance(browser.driver().findElement(By.tagName("body")).getCssValue("color")))
                .as("text colour").isGreaterThan(0.7);
        assertThat(luminance(String.valueOf(browser.driver().executeScript(
                "return getComputedStyle(document.documentElement).getPropertyValue('--bg')"))))
                .as("background colour").isLessThan(0.2);
        // and what the visitor sees: the frame's pixels are dark on the host's white page
        browser.driver().switchTo().defaultContent();
        browser.waiting().until(d -> frame.getSize().getHeight() > 160);
        assertThat(backgroundLuminance(frame)).as("frame pixels").isLessThan(0.2);
        assertThat(backgroundLuminance(browser.driver().findElement(By.tagName("h1")))).as("host pixels").isGreaterThan(0.8);
    }

    /** The most common pixel of an element's screenshot: its background, whatever paints it. */
    private static double backgroundLuminance(WebElement element) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(element.getScreenshotAs(OutputType.BYTES)));
            Map<Integer, Integer> counts = new HashMap<>();
            for (int y = 0; y < image.getHeight(); y += 2) {
                for (int x = 0; x < image.getWidth(); x += 2) {
                    counts.merge(image.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
                }
            }
            int rgb = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            return luminance(String.format("#%06x", rgb));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the host page for {@code key} and returns the iframe embed.js put into it. */
    private WebElement openHostPage(String key, String theme) {
        browser.driver().switchTo().defaultContent();
        browser.get(host.page(hostOrigin, parley, key, theme));
        return browser.visible(By.cssSelector("#parley_thread iframe"));
    }

    private void enterFrame(WebElement frame) {
        browser.waiting().until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(frame));
        discussion.heading();
    }

    /** Relative luminance (0 black … 1 white) of a CSS colour: rgb(…), rgba(…) or #rrggbb. */
    static double luminance(String color) {
        String c = color.strip();
        int r;
        int g;
        int b;
        if (c.startsWith("#")) {
            r = Integer.parseInt(c.substring(1, 3), 16);
            g = Integer.parseInt(c.substring(3, 5), 16);
            b = Integer.parseInt(c.substring(5, 7), 16);
        } else {
            String[] parts = c.substring(c.indexOf('(') + 1, c.indexOf(')')).split("\\s*,\\s*");
            r = Integer.parseInt(parts[0].strip());
            g = Integer.parseInt(parts[1].strip());
            b = Integer.parseInt(parts[2].strip());
        }
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    }
}
