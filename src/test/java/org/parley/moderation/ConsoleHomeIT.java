package org.parley.moderation;

import org.junit.jupiter.api.Test;
import org.parley.account.Passwords;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's front page on a fresh installation, as its administrator meets it: the first-run checklist, each
 * step ticked by what was actually done (the generated password replaced, an origin of their own allowed, a page
 * that loaded the embed, a first comment), gone once all are; the site's queues and its snippets. And its cost:
 * the same statements at 8 and 64 shards on one database.
 */
class ConsoleHomeIT {
    private static final String FIRST = "printed-once-password";
    private static final String OWN = "a password of my own";
    private static final Pattern STEP = Pattern.compile("<li(?: class=\"([^\"]*)\")?>\\s*<span class=\"tick\"[^>]*>[^<]*</span>\\s*"
            + "<span>([^<]+)</span>");

    @Test
    void theChecklistTicksWhatWasDoneAndGoesAwayWhenAllIs() {
        try (TestServer server = TestServer.start()) {
            // the administrator first start made, signing in with the password it printed
            server.mainSql("UPDATE main.account SET password_hash = '" + Passwords.hash(FIRST)
                    + "' WHERE email = 'admin@localhost'");
            WebClient admin = signIn(server, FIRST);

            String page = admin.get("/admin").body();
            assertThat(page).contains("First steps", "<code>default</code>", "0 pending", "no comments yet",
                    "data-site=&quot;default&quot;", "/embed.js", "&lt;noscript&gt;", "/count.js",
                    "<code>" + TestServer.ORIGIN + "</code>");
            assertThat(steps(page)).containsExactly(
                    "to do: Replace the administrator password printed at first start",
                    "to do: Allow your site's origin (like https://blog.example.com) to embed threads",
                    "to do: Paste the embed snippet below into your article template",
                    "to do: See the first comment arrive");

            admin.get("/account");
            HttpResponse<String> changed = admin.post("/account/password", Map.of("current", FIRST, "password", OWN));
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(302);
            server.mainSql("INSERT INTO main.site_origin (site_id, origin) VALUES (" + server.site().id()
                    + ", 'https://blog.example.com')");
            server.thread("first-article"); // what the embed does when a page first loads it
            assertThat(steps(admin.get("/admin").body())).containsExactly(
                    "done: Replace the administrator password printed at first start",
                    "done: Allow your site's origin (like https://blog.example.com) to embed threads",
                    "done: Paste the embed snippet below into your article template",
                    "to do: See the first comment arrive");

            server.post(server.thread("first-article"), null, "Hello, first comment");
            page = admin.get("/admin").body();
            assertThat(page).doesNotContain("First steps").contains("latest comment:", "0 pending");
        }
    }

    @Test
    void theFrontPageCostsTheSameFor8And64Shards() {
        assertThat(statements(8)).isEqualTo(statements(64))
                // the viewer, their sites, the names, the origins, the sites' glances, the password check
                .isEqualTo(6);
    }

    private static int statements(int shards) {
        try (TestServer server = TestServer.start(Map.of("PARLEY_SHARDS", Integer.toString(shards)))) {
            server.mainSql("UPDATE main.account SET password_hash = '" + Passwords.hash(FIRST)
                    + "' WHERE email = 'admin@localhost'");
            for (int i = 0; i < 10; i++) {
                server.post(server.thread("t" + i), null, "comment " + i);
            }
            WebClient admin = server.client();
            admin.get("/signin");
            admin.post("/signin", Map.of("email", "admin@localhost", "password", FIRST));
            HttpResponse<String> page = admin.get("/admin");
            assertThat(page.statusCode()).isEqualTo(200);
            return Integer.parseInt(page.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
        }
    }

    private static WebClient signIn(TestServer server, String password) {
        WebClient client = server.client();
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", Map.of("email", "admin@localhost", "password", password));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }

    /** The checklist's steps as "done: text" or "to do: text". */
    private static java.util.List<String> steps(String page) {
        java.util.List<String> steps = new java.util.ArrayList<>();
        Matcher m = STEP.matcher(page);
        while (m.find()) {
            steps.add((m.group(1) != null && m.group(1).contains("done") ? "done: " : "to do: ") + m.group(2).replace("&#39;", "'"));
        }
        return steps;
    }
}
