package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.parley.sso.SsoSettings;
import org.parley.sso.SsoSettingsRepository;
import org.parley.testing.Browser;
import org.parley.testing.CrossSiteParley;
import org.parley.testing.HostSite;
import org.parley.testing.TestServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on as a host site uses it: its server signs a remote_auth_s3 payload for the visitor, the article
 * passes it as data-sso on Parley's embed element (on another origin than Parley), and the reader comments as
 * themselves. The vectors through the embed: valid, upper-case hex, expired, tampered message, tampered
 * signature, and W10= signing out; every refused payload leaves a guest with the host's sign-in link.
 */
class SingleSignOnBrowserIT {
    static final String SECRET = "browser-test-secret-0123456789abcdef";
    private static final String LOGIN = "https://host.example/login";

    private static CrossSiteParley parley;
    private static TestServer server;
    private static HostSite blog;
    private static Browser browser;
    private static int port;
    private Discussion discussion;

    @BeforeAll
    static void start() {
        parley = CrossSiteParley.start("127.0.0.1");
        port = parley.port();
        server = parley.server();
        blog = parley.blog();
        browser = parley.browser();
        new SsoSettingsRepository(server.parley().databases().main()).save(server.site().id(),
                new SsoSettings(SECRET, LOGIN, "https://host.example/logout", Duration.ofHours(2)), false);
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

    @AfterEach
    void consoleStaysClean() {
        assertThat(browser.takeConsoleMessages()).isEmpty();
    }

    @Test
    void aSignedPayloadLetsTheHostsUserCommentAsThemselves() {
        open("sso-valid", payload(user("u-1", "Jane Host"), now(), false));

        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Jane Host");
        assertThat(browser.visible(By.linkText("Sign out")).getDomAttribute("href")).isEqualTo("https://host.example/logout");
        discussion.post("Signed in by my blog.");
        assertThat(Discussion.author(discussion.comment("Signed in by my blog."))).isEqualTo("Jane Host");
        assertThat(browser.visible(By.linkText("Sign out")).getDomAttribute("href"))
                .as("the host's link also on the page after the post").isEqualTo("https://host.example/logout");
        assertThat(server.parley().databases().main().fetchValue("SELECT count(*) FROM main.account WHERE sso_id = 'u-1'"
                + " AND sso_site_id = " + server.site().id())).isEqualTo(1L);
    }

    @Test
    void anUpperCaseSignatureIsAcceptedToo() {
        open("sso-upper", payload(user("u-2", "Upper Case"), now(), true));

        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Upper Case");
    }

    @Test
    void anExpiredPayloadLeavesAGuestWithTheHostsSignInLink() {
        open("sso-expired", payload(user("u-3", "Late Comer"), now() - Duration.ofHours(3).toSeconds(), false));

        assertGuest();
    }

    @Test
    void aTamperedMessageOrSignatureLeavesAGuest() {
        String good = payload(user("u-4", "Honest"), now(), false);
        String[] parts = good.split(" ");
        String forgedMessage = user("admin", "Someone Else") + " " + parts[1] + " " + parts[2];
        String forgedSignature = parts[0] + " " + (parts[1].startsWith("0") ? "1" : "0") + parts[1].substring(1)
                + " " + parts[2];

        open("sso-tampered-message", forgedMessage);
        assertGuest();
        open("sso-tampered-signature", forgedSignature);
        assertGuest();
    }

    @Test
    void anEmptyArraySignsTheVisitorOut() {
        open("sso-out", payload(user("u-5", "Leaving Soon"), now(), false));
        assertThat(discussion.signedInAs()).isEqualTo("Commenting as Leaving Soon");

        open("sso-out", payload("W10=", now(), false));

        assertGuest();
    }

    private void assertGuest() {
        assertThat(browser.visible(By.linkText("Sign in to comment")).getDomAttribute("href")).isEqualTo(LOGIN);
        assertThat(browser.driver().findElements(By.cssSelector(".discussion > .comment-form .signed-in"))).isEmpty();
    }

    /** The article {@code key} on the blog (another origin than Parley) with {@code sso} as data-sso. */
    private void open(String key, String sso) {
        browser.driver().switchTo().defaultContent();
        String page = blog.publish(blog.origin("127.0.0.1"), "/sso/" + key + "/" + System.nanoTime(), """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>An article</title></head>
                <body><h1>An article</h1>
                <div id="parley_thread" data-site="default" data-key="%s" data-sso="%s"></div>
                <script src="http://localhost:%d/embed.js" async></script>
                </body></html>
                """.formatted(key, sso, port));
        browser.get(page);
        var frame = browser.visible(By.cssSelector("#parley_thread iframe"));
        browser.waiting().until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(frame));
        discussion.heading();
        // the frame hands the payload over, then reloads when the session changed, or links the host's sign-in
        browser.waiting().until(d -> !d.findElements(By.cssSelector(".sso-links a")).isEmpty()
                && "true".equals(String.valueOf(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return document.readyState === 'complete'"))));
        discussion.heading();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    static String user(String id, String name) {
        String json = "{\"id\":\"" + id + "\",\"username\":\"" + name + "\",\"email\":\"" + id + "@host.example\"}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** MESSAGE SIGNATURE TIMESTAMP, the signature the hex HMAC-SHA1 of "MESSAGE TIMESTAMP" (Disqus's algorithm). */
    static String payload(String message, long timestamp, boolean upperCase) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String hex = HexFormat.of().formatHex(mac.doFinal((message + " " + timestamp).getBytes(StandardCharsets.UTF_8)));
            return message + " " + (upperCase ? hex.toUpperCase(Locale.ROOT) : hex) + " " + timestamp;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
