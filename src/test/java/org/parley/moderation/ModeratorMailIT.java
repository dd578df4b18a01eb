package org.parley.moderation;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.Account;
import org.parley.discussion.CommentForm;
import org.parley.mail.MailTemplates;
import org.parley.testing.MailServer;
import org.parley.testing.TestServer;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Comments are waiting for you": a moderator with a verified address is mailed about comments held or flagged on
 * their sites — once per interval however many arrive, not again when nothing is new, and never to an unverified
 * address — through the outbox to a real SMTP server.
 */
class ModeratorMailIT {
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration ARRIVAL = Duration.ofSeconds(20);

    @RegisterExtension
    @Order(1)
    static final MailServer mail = new MailServer();

    @RegisterExtension
    @Order(2)
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_SMTP_URL", mail.url(),
            "PARLEY_OUTBOX_POLL_MS", "100"));

    @Test
    void aModeratorIsMailedOncePerIntervalAboutWhatIsNewAndAnUnverifiedOneNever() throws Exception {
        long site = server.site().id();
        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        long mod = account("mo@example.com", "Mo Derator", true);
        long unverified = account("un@example.com", "Un Verified", false);
        server.mainSql("INSERT INTO main.site_moderator (site_id, account_id) VALUES (" + site + ", " + mod + "), ("
                + site + ", " + unverified + ")");
        // the job as every instance runs it, with a short interval (the server's own looks once a minute)
        var alerts = new ModeratorAlerts(server.parley().databases(),
                new MailTemplates(URI.create(TestServer.ORIGIN)), INTERVAL);

        var thread = server.thread("moderator-mail");
        for (int i = 0; i < 3; i++) {
            server.comments().post(server.site(), thread, null, new CommentForm("Held " + i, null, "Guest", null),
                    "192.0.2.1");
        }
        assertThat(alerts.runOnce()).isEqualTo(1);
        assertThat(alerts.runOnce()).as("within the interval").isZero();
        MimeMessage first = mail.awaitMail("mo@example.com", 1, ARRIVAL);
        assertThat(first.getSubject()).isEqualTo("3 comments wait for you on Parley");
        assertThat(MailServer.text(first)).contains("Hello Mo Derator,", "- default: 3 held, 0 flagged",
                "http://localhost:1234/admin/queue");

        Thread.sleep(INTERVAL.toMillis() + 200);
        assertThat(alerts.runOnce()).as("nothing new since the last mail").isZero();

        server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
        long approved = server.comments().post(server.site(), thread, null,
                new CommentForm("Public", null, "Guest", null), "192.0.2.1").id();
        var flagger = new Account(account("fl@example.com", "Flag Ger", true), "fl@example.com", "Flag Ger", false);
        server.comments().flag(approved, flagger, "abuse", "rude");
        assertThat(alerts.runOnce()).isEqualTo(1);
        MimeMessage second = mail.awaitMail("mo@example.com", "4 comments wait for you on Parley", ARRIVAL);
        assertThat(MailServer.text(second)).contains("- default: 3 held, 1 flagged");

        assertThat(mail.to("un@example.com")).isEmpty();
    }

    private static long account(String email, String name, boolean verified) {
        return server.parley().databases().main().fetchOne("INSERT INTO main.account (email, display_name,"
                + " email_verified_at) VALUES (?, ?, " + (verified ? "now()" : "NULL") + ") RETURNING id", email, name)
                .get(0, Long.class);
    }
}
