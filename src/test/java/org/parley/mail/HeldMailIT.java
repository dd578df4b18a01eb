package org.parley.mail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Without an SMTP server (the embedded default on a laptop), mails are held for the console's outgoing-mail page,
 * where an administrator reads them and follows their links as from an inbox; nothing is lost or sent.
 */
class HeldMailIT {
    private static final Pattern MAIL_LINK = Pattern.compile("href=\"(/admin/mail/main/\\d+)\"");

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_OUTBOX_POLL_MS", "100"));

    @Test
    void aSignUpMailIsHeldForTheConsoleAndItsLinkWorksFromThere() {
        server.signedUp("boss@example.com", "Bo Ss");
        server.mainSql("UPDATE main.account SET is_admin = true WHERE email = 'boss@example.com'");
        WebClient admin = server.signedUp("boss@example.com", "Bo Ss");
        server.signedUp("newcomer@example.com", "New Comer");

        await().atMost(Duration.ofSeconds(20)).until(() -> state("newcomer@example.com").equals("held"));
        String list = admin.get("/admin/mail").body();
        assertThat(list).contains("No SMTP server is configured", "newcomer@example.com",
                "Confirm your email address", ">held<");

        Matcher link = MAIL_LINK.matcher(list);
        assertThat(link.find()).isTrue();
        String page = admin.get(link.group(1)).body();
        assertThat(page).contains("newcomer@example.com", "Hello New Comer,", "Queue it again");
        Matcher verify = Pattern.compile("http://localhost:1234(/verify\\?token=[^\\s<]+)").matcher(page);
        assertThat(verify.find()).as(page).isTrue();

        var confirmed = server.client().get(verify.group(1).replace("&amp;", "&"));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(server.parley().databases().main()
                .fetchOne("SELECT email_verified_at IS NOT NULL FROM main.account WHERE email = 'newcomer@example.com'")
                .get(0, Boolean.class)).isTrue();
    }

    @Test
    void aMailThatIsNotThereIsAPlainNotFound() {
        server.signedUp("boss2@example.com", "Bo Ss");
        server.mainSql("UPDATE main.account SET is_admin = true WHERE email = 'boss2@example.com'");
        WebClient admin = server.signedUp("boss2@example.com", "Bo Ss");
        assertThat(admin.get("/admin/mail/main/999999").statusCode()).isEqualTo(404);
        assertThat(admin.get("/admin/mail/s9999/1").statusCode()).isEqualTo(404);
        assertThat(admin.get("/admin/mail/public/1").statusCode()).isEqualTo(404);
        assertThat(admin.get("/admin/mail/main/x").statusCode()).isEqualTo(404);
    }

    private static String state(String to) {
        var row = server.parley().databases().main()
                .fetchOne("SELECT state FROM main.outbox WHERE payload->>'to' = ?", to);
        return row == null ? "" : row.get(0, String.class);
    }
}
