package org.parley.moderation;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.site.SiteRepository;
import org.parley.testing.MailServer;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An owner appoints someone who has no account: the appointment waits, an invitation is mailed (through the
 * outbox, to a real SMTP server), the site's page lists it; the person follows the mail's link, signs up with
 * that address and confirms it — and only then moderates that site, and only it. Someone else signing up with
 * another address gets nothing; a withdrawn invitation is gone.
 */
class InvitationIT {
    private static final Duration ARRIVAL = Duration.ofSeconds(20);

    @RegisterExtension
    @Order(1)
    static final MailServer mail = new MailServer();

    @RegisterExtension
    @Order(2)
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_SMTP_URL", mail.url(),
            "PARLEY_OUTBOX_POLL_MS", "100"));

    @Test
    void anInvitedPersonModeratesTheSiteOnceTheyConfirmTheirAddress() throws Exception {
        var main = server.parley().databases().main();
        long owner = new AccountRepository(main).create("owner@example.com", "Olga Owner",
                Passwords.hash(TestServer.PASSWORD)).orElseThrow();
        new Moderators(main).add(server.site().id(), owner);
        new SiteRepository(main).create("elsewhere", "Another site", List.of(TestServer.ORIGIN));

        WebClient olga = server.signedIn("owner@example.com");
        String settings = "/admin/sites/" + server.site().id();
        olga.get(settings);
        HttpResponse<String> invited = olga.post(settings + "/moderators",
                Map.of("email", "New.Mod@Example.com", "role", "moderator"));
        assertThat(invited.statusCode()).as(invited.body()).isEqualTo(302);
        assertThat(olga.follow(invited).body()).contains("an invitation was mailed", "new.mod@example.com (moderator)");

        MimeMessage invitation = mail.awaitMail("new.mod@example.com", "You are invited to moderate Default site on Parley",
                ARRIVAL);
        assertThat(MailServer.text(invitation)).contains("Olga Owner invited you", "as a moderator");
        String signUp = MailServer.linkPath(invitation);
        assertThat(signUp).startsWith("/signup?email=new.mod%40example.com");

        // someone else signing up gets nothing
        server.signedUp("other@example.com", "Other");
        WebClient newcomer = server.client();
        assertThat(newcomer.get(signUp).body()).contains("value=\"new.mod@example.com\"");
        HttpResponse<String> joined = newcomer.post("/signup", Map.of("email", "new.mod@example.com", "name", "Nia New",
                "password", TestServer.PASSWORD));
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(302);
        assertThat(newcomer.get("/admin").statusCode()).as("not before the address is confirmed").isEqualTo(403);

        MimeMessage confirm = mail.awaitMail("new.mod@example.com", "Confirm your email address", ARRIVAL);
        assertThat(newcomer.get(MailServer.linkPath(confirm)).statusCode()).isEqualTo(200);
        String console = newcomer.get("/admin").body();
        assertThat(console).contains("Default site").doesNotContain("Another site");
        assertThat(olga.get(settings).body()).contains("Nia New").doesNotContain("Invited, waiting to sign up");
        assertThat(olga.get("/admin/audit").body()).contains("invite", "accept-invitation");

        // an invitation withdrawn before anyone signs up is gone
        olga.get(settings);
        olga.post(settings + "/moderators", Map.of("email", "late@example.com", "role", "owner"));
        assertThat(olga.get(settings).body()).contains("late@example.com (owner)");
        HttpResponse<String> withdrawn = olga.post(settings + "/invitations/withdraw", Map.of("email", "late@example.com"));
        assertThat(withdrawn.statusCode()).isEqualTo(302);
        assertThat(olga.follow(withdrawn).body()).doesNotContain("late@example.com");
    }
}
