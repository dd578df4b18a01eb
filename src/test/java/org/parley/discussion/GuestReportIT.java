package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.parley.account.Passwords;
import org.parley.moderation.Moderators;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader without an account reports a comment: no sign-in and no captcha, just a reason; one report per address
 * and comment (reporting again does not push the comment further up the flagged queue), at the pace of posting
 * (the sixth report in a minute from one address is refused); the moderators see the reason and the note.
 */
class GuestReportIT {
    @Test
    void aGuestReportsOnceAndTheModeratorsSeeWhy() {
        try (TestServer server = TestServer.start(Map.of("PARLEY_RATE_LIMITS", "true"))) {
            var thread = server.thread("reported");
            long rude = server.post(thread, null, "Something rude");
            String page = TestServer.standalonePath("reported");

            WebClient guest = server.client();
            assertThat(guest.get("/c/" + rude + "/flag?return=" + page).body())
                    .contains("name=\"reason\"", "Spam or advertising").doesNotContain("/signin?");
            HttpResponse<String> reported = guest.post("/c/" + rude + "/flag",
                    Map.of("reason", "abuse", "note", "Insults the author", "return", page));
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(302);
            assertThat(reported.headers().firstValue("Location").orElseThrow()).startsWith(page);
            // again from the same address: still one report
            assertThat(guest.post("/c/" + rude + "/flag", Map.of("reason", "spam", "return", page)).statusCode())
                    .isEqualTo(302);
            int shard = org.parley.data.Ids.shardOf(rude);
            assertThat(server.parley().databases().write(shard).fetchValue("SELECT flag_count FROM "
                    + org.parley.data.ShardRouter.schemaOf(shard) + ".comment WHERE id = " + rude))
                    .isEqualTo(1);

            long mod = new org.parley.account.AccountRepository(server.parley().databases().main())
                    .create("mod@example.com", "Mod", Passwords.hash(TestServer.PASSWORD)).orElseThrow();
            new Moderators(server.parley().databases().main()).add(server.site().id(), mod);
            WebClient moderator = server.signedIn("mod@example.com");
            assertThat(moderator.get("/admin/queue?queue=flagged").body())
                    .contains("Something rude", "abuse", "Insults the author", "1 report");

            // with the two above, three more reports within the minute are fine; the sixth is refused
            for (int i = 0; i < 3; i++) {
                long other = server.post(thread, null, "Other " + i);
                assertThat(guest.post("/c/" + other + "/flag", Map.of("reason", "spam", "return", page)).statusCode())
                        .isEqualTo(302);
            }
            long last = server.post(thread, null, "One too many");
            HttpResponse<String> refused = guest.post("/c/" + last + "/flag", Map.of("reason", "spam", "return", page));
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("You are reporting too fast.");
        }
    }
}
