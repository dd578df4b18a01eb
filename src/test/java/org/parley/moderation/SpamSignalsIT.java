package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spam heuristics through the real posting path: too many links, the same text again, posting too fast —
 * each sends the comment to the spam queue with its reason, tells the author no more than "awaiting moderation",
 * and costs the same fixed number of statements per post however much history there is.
 */
class SpamSignalsIT {
    private static final String PASSWORD = "correct horse battery";
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @BeforeAll
    static void start() {
        server.mainSql("UPDATE main.site SET spam_checks = true WHERE name = 'default'"); // TestServer turns them off
        var main = server.parley().databases().main();
        var accounts = new AccountRepository(main);
        long mod = accounts.create("mod@example.com", "Mod", Passwords.hash(PASSWORD)).orElseThrow();
        new Moderators(main).add(server.site().id(), mod);
        for (String name : new String[] {"linky", "parrot", "echo", "hasty", "calm", "trusted"}) {
            accounts.create(name + "@example.com", name, Passwords.hash(PASSWORD)).orElseThrow();
        }
        new SiteRules(main).trust(server.site().id(),
                accounts.byEmail("trusted@example.com").orElseThrow().id(), mod);
    }

    @Test
    void tooManyLinksGoToSpamWithTheReason() {
        WebClient author = signedIn("linky@example.com");
        String five = links(5);
        String six = links(6);
        assertThat(post(author, "links", five).headers().firstValue("Location").orElseThrow()).contains("posted=approved");
        HttpResponse<String> spammy = post(author, "links", "Other " + six);
        assertThat(spammy.headers().firstValue("Location").orElseThrow()).contains("posted=pending");
        assertThat(author.follow(spammy).body()).contains("will appear once a moderator approves it");

        assertThat(server.client().get(TestServer.standalonePath("links")).body()).doesNotContain("Other ");
        assertThat(signedIn("mod@example.com").get("/admin/queue?queue=spam&thread=links").body())
                .contains("spam: 6 links (more than 5 looks like spam)");
    }

    @Test
    void theSameTextAgainFromTheSameAuthorIsSpamEvenInAnotherThread() {
        WebClient parrot = signedIn("parrot@example.com");
        assertThat(post(parrot, "repeat-a", "Cheap watches, best prices").headers().firstValue("Location")
                .orElseThrow()).contains("posted=approved");
        assertThat(post(parrot, "repeat-b", "  cheap WATCHES,   best prices ").headers().firstValue("Location")
                .orElseThrow()).contains("posted=pending");
        // someone else may say the same thing
        assertThat(post(signedIn("echo@example.com"), "repeat-b", "Cheap watches, best prices").headers()
                .firstValue("Location").orElseThrow()).contains("posted=approved");

        String spam = signedIn("mod@example.com").get("/admin/queue?queue=spam&author=parrot").body();
        assertThat(spam).contains("spam: the same text again within 10 minutes");
        assertThat(spam.split("class=\"queue-item\"", -1).length - 1).isEqualTo(1);
    }

    @Test
    void postingFasterThanTheLimitSendsTheExtraCommentsToSpamAtAFixedCost() {
        WebClient hasty = signedIn("hasty@example.com");
        int[] statements = new int[SpamSignals.SPEED_LIMIT + 1];
        for (int i = 0; i < SpamSignals.SPEED_LIMIT; i++) {
            HttpResponse<String> ok = post(hasty, "speed", "Quick thought number " + i);
            assertThat(ok.headers().firstValue("Location").orElseThrow()).contains("posted=approved");
            statements[i] = sqlCount(ok);
        }
        HttpResponse<String> over = post(hasty, "speed", "Quick thought number " + SpamSignals.SPEED_LIMIT);
        assertThat(over.headers().firstValue("Location").orElseThrow()).contains("posted=pending");
        statements[SpamSignals.SPEED_LIMIT] = sqlCount(over);
        // the first post and the sixth, with five rows of history, cost the same
        assertThat(statements).containsOnly(statements[0]);
        // the thread, what the post is checked against (the ban, the site's rules, the author's standing: one
        // statement), the spam trail, the row (its id minted in the same statement), the thread's counters, and
        // where the new comment stands (the redirect lands on the page that holds it: the settings that keep its
        // plan an index walk, then the statement; in the best sort, one more past page 1)
        assertThat(statements[0]).isEqualTo(7);
        // and each of them ran from its SQL cut once at its placeholders, none read again per call as a template
        assertThat(org.parley.data.RenderedOnce.uncut()).as("shapes that could not be cut (their WARN names them)")
                .isZero();

        assertThat(post(signedIn("calm@example.com"), "speed", "A calm reply").headers().firstValue("Location")
                .orElseThrow()).contains("posted=approved");
        assertThat(signedIn("mod@example.com").get("/admin/queue?queue=spam&thread=speed").body())
                .contains("spam: 6 comments within 60 seconds (the limit is 5)")
                .doesNotContain("A calm reply");
    }

    @Test
    void trustedAuthorsAndSitesThatSwitchTheChecksOffAreNotJudged() {
        WebClient trusted = signedIn("trusted@example.com");
        assertThat(post(trusted, "trusted", links(9)).headers().firstValue("Location").orElseThrow())
                .contains("posted=approved");

        server.mainSql("UPDATE main.site SET spam_checks = false WHERE name = 'default'");
        try {
            WebClient linky = signedIn("linky@example.com");
            assertThat(post(linky, "checks-off", "Off " + links(9)).headers().firstValue("Location").orElseThrow())
                    .contains("posted=approved");
        } finally {
            server.mainSql("UPDATE main.site SET spam_checks = true WHERE name = 'default'");
        }
    }

    private static String links(int n) {
        StringBuilder text = new StringBuilder("See");
        for (int i = 0; i < n; i++) {
            text.append(" https://example.com/").append(n).append('/').append(i);
        }
        return text.toString();
    }

    private static HttpResponse<String> post(WebClient author, String key, String body) {
        author.get(TestServer.embedPath(key));
        HttpResponse<String> posted = author.post(TestServer.embedPath(key), Map.of("body", body));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        return posted;
    }

    private static int sqlCount(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }

    private static WebClient signedIn(String email) {
        WebClient client = server.client();
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", Map.of("email", email, "password", PASSWORD));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }
}
