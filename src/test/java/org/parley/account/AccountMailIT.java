package org.parley.account;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MailServer;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mails about an account, delivered by the outbox to a real SMTP server and followed as a person would: the
 * address confirmation sent at sign-up, and "forgot your password?" from the form to the new password.
 */
class AccountMailIT {
    private static final Duration ARRIVAL = Duration.ofSeconds(20);

    @RegisterExtension
    @Order(1)
    static final MailServer mail = new MailServer();

    @RegisterExtension
    @Order(2)
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_SMTP_URL", mail.url(),
            "PARLEY_OUTBOX_POLL_MS", "100"));

    @Test
    void signingUpMailsALinkThatConfirmsTheAddress() throws Exception {
        server.signedUp("verify@example.com", "Vera Fy");
        MimeMessage message = mail.awaitMail("verify@example.com", 1, ARRIVAL);

        assertThat(message.getSubject()).isEqualTo("Confirm your email address");
        assertThat(message.getFrom()[0].toString()).isEqualTo("Parley <parley@localhost>");
        assertThat(MailServer.header(message, "Message-ID")).matches("<[0-9a-f-]{36}@localhost>");
        assertThat(MailServer.text(message)).contains("Hello Vera Fy,", "/verify?token=");
        assertThat(MailServer.html(message)).contains("Confirm my address", "href=\"http://localhost:1234/verify?token=");
        assertThat(verifiedAt("verify@example.com")).isNull();

        String link = MailServer.linkPath(message);
        WebClient browser = server.client();
        var confirmed = browser.get(link, Map.of("Accept-Language", "de-DE,de;q=0.9,en;q=0.5"));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        // the page is in the language of the browser that opened it
        assertThat(confirmed.body()).contains("<html lang=\"de\"", org.parley.web.BundleMessageResolver.message(
                java.util.Locale.GERMAN, "account.verified.title"));
        assertThat(confirmed.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        assertThat(verifiedAt("verify@example.com")).isNotNull();
        // the person's own browser opened it: later mails are written in its language
        assertThat(server.parley().databases().main().fetchOne("SELECT language FROM main.account WHERE email = ?",
                "verify@example.com").get(0, String.class)).isEqualTo("de-DE");
        // a mail scanner opening it again changes nothing
        assertThat(browser.get(link).statusCode()).isEqualTo(200);

        var forged = browser.get(link.replaceFirst("token=v\\.(\\d)", "token=v.9$1"));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("This confirmation link has expired");
    }

    @Test
    void aForgottenPasswordIsReplacedThroughTheMailedLinkOnce() throws Exception {
        server.signedUp("forgot@example.com", "For Got");
        WebClient browser = server.client();
        browser.get("/forgot?return=/t/default/reset-thread");
        var asked = browser.post("/forgot", Map.of("email", "FORGOT@example.com", "return", "/t/default/reset-thread"));
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.body()).contains("Check your inbox", "If an account uses FORGOT@example.com");

        // besides the confirmation of the address, written a moment before
        MimeMessage message = mail.awaitMail("forgot@example.com", "Reset your password", ARRIVAL);
        assertThat(MailServer.text(message)).contains("works once, for 60 minutes");
        String link = MailServer.linkPath(message);
        assertThat(link).startsWith("/reset?token=").contains("return=%2Ft%2Fdefault%2Freset-thread");

        WebClient fromMail = server.client();
        var form = fromMail.get(link);
        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        assertThat(form.body()).contains("Choose a new password");
        String token = link.replaceFirst("^/reset\\?token=([^&]+).*", "$1");
        String decoded = java.net.URLDecoder.decode(token, java.nio.charset.StandardCharsets.UTF_8);

        var tooShort = fromMail.post("/reset", Map.of("token", decoded, "password", "short", "return", "/"));
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("at least 10 characters");

        var saved = fromMail.post("/reset", Map.of("token", decoded, "password", "a brand new passphrase",
                "return", "/t/default/reset-thread"));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        assertThat(saved.headers().firstValue("Location")).hasValue("/t/default/reset-thread");
        assertThat(fromMail.get("/").body()).contains("Signed in as For Got.");

        assertThat(signIn("forgot@example.com", TestServer.PASSWORD)).isEqualTo(401);
        assertThat(signIn("forgot@example.com", "a brand new passphrase")).isEqualTo(302);

        // the link changed the password it was made for; it opens nothing any more
        var again = server.client().get(link);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("has expired or has been used already");
        var replay = fromMail.post("/reset", Map.of("token", decoded, "password", "an attacker's passphrase",
                "return", "/"));
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(signIn("forgot@example.com", "a brand new passphrase")).isEqualTo(302);
    }

    @Test
    void theFormSaysTheSameForAnAddressWithoutAnAccountAndMailsNobody() {
        WebClient browser = server.client();
        browser.get("/forgot");
        var unknown = browser.post("/forgot", Map.of("email", "nobody@example.com", "return", "/"));
        browser.get("/forgot");
        server.signedUp("marker@example.com", "Mark Er");
        var known = browser.post("/forgot", Map.of("email", "marker@example.com", "return", "/"));

        assertThat(unknown.statusCode()).isEqualTo(known.statusCode()).isEqualTo(200);
        assertThat(sentence(unknown.body()).replace("nobody@example.com", "X"))
                .isEqualTo(sentence(known.body()).replace("marker@example.com", "X"))
                .contains("If an account uses X, a link to choose a new password is on its way.");
        // the marker's two mails (confirmation, reset) went out after the unknown address's request
        mail.awaitMail("marker@example.com", 2, ARRIVAL);
        assertThat(mail.to("nobody@example.com")).isEmpty();
    }

    @Test
    void aBadAddressOrALinkThatWasNeverMailedIsRefusedPlainly() {
        WebClient browser = server.client();
        browser.get("/forgot");
        var bad = browser.post("/forgot", Map.of("email", "not an address", "return", "/"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("That email address does not look right.", "aria-invalid=\"true\"");

        var made = browser.get("/reset?token=r.1.99999999999.AAAAAAAAAAA.abcd.0000000000000000000000000000000000000000000");
        assertThat(made.statusCode()).isEqualTo(400);
        assertThat(made.body()).contains("has expired or has been used already").doesNotContain("Exception");
        assertThat(browser.get("/reset").statusCode()).isEqualTo(400);
    }

    @Test
    void theSignInPageOffersTheWayBack() {
        String page = server.client().get("/signin?return=/t/default/x").body();
        assertThat(page).contains("href=\"/forgot?return=/t/default/x\"", "Forgot your password?");
    }

    private static int signIn(String email, String password) {
        WebClient client = server.client();
        client.get("/signin");
        return client.post("/signin", Map.of("email", email, "password", password, "return", "/")).statusCode();
    }

    /** What the page says: its status paragraph. */
    private static String sentence(String body) {
        var m = java.util.regex.Pattern.compile("<p role=\"status\">([^<]+)</p>").matcher(body);
        return m.find() ? m.group(1) : "";
    }

    private static Object verifiedAt(String email) {
        return server.parley().databases().main()
                .fetchValue("SELECT email_verified_at FROM main.account WHERE email = ?", email);
    }
}
