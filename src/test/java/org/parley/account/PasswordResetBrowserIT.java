package org.parley.account;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.parley.testing.Browser;
import org.parley.testing.FreePort;
import org.parley.testing.MailServer;
import org.parley.testing.TestServer;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Forgot your password?" as a reader goes through it in Chromium, at {@code http://localhost:PORT} (IPv6 first):
 * from the discussion to the sign-in page, the form, the mail that a real SMTP server received, its link, the new
 * password — and back on the discussion, signed in.
 */
class PasswordResetBrowserIT {
    private static MailServer smtp;
    private static TestServer server;
    private static Browser browser;
    private static String parley;

    @BeforeAll
    static void start() {
        smtp = new MailServer().start();
        int port = FreePort.find();
        parley = "http://localhost:" + port;
        server = TestServer.start(Map.of("PARLEY_PORT", Integer.toString(port), "PARLEY_HOST", "0.0.0.0",
                "PARLEY_PUBLIC_URL", parley, "PARLEY_SMTP_URL", smtp.url(), "PARLEY_OUTBOX_POLL_MS", "100"));
        browser = Browser.withJavaScript();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    void aReaderWhoForgotThePasswordSetsANewOneFromTheMailAndIsSignedIn() throws Exception {
        server.signedUp("rea@example.com", "Rea Der");
        server.thread("forgot-in-browser");
        browser.get(parley + TestServer.standalonePath("forgot-in-browser"));
        browser.awaitDiscussionReady();

        browser.visible(By.linkText("Sign in")).click();
        browser.visible(By.linkText("Forgot your password?")).click();
        browser.visible(By.id("email")).sendKeys("rea@example.com");
        browser.visible(By.cssSelector("main form button[type=submit]")).click();
        assertThat(browser.visible(By.tagName("h1")).getText()).as(browser.driver().getPageSource())
                .isEqualTo("Check your inbox");

        MimeMessage mail = smtp.awaitMail("rea@example.com", "Reset your password", Duration.ofSeconds(20));
        Matcher link = Pattern.compile("http://localhost:\\d+/reset\\?\\S+").matcher(MailServer.text(mail));
        assertThat(link.find()).as(MailServer.text(mail)).isTrue();

        browser.get(link.group());
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Choose a new password");
        browser.visible(By.id("password")).sendKeys("my new long passphrase");
        browser.visible(By.cssSelector("main form button[type=submit]")).click();

        browser.awaitDiscussionReady();
        assertThat(browser.location()).contains(TestServer.standalonePath("forgot-in-browser"));
        assertThat(browser.visible(By.cssSelector(".signed-in")).getText()).contains("Rea Der");
        assertThat(browser.takeConsoleMessages()).isEmpty();
    }
}
