package org.parley.moderation;

import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The people of a console test on one {@link TestServer}: accounts that share one password, the sites they
 * moderate, and a browser signed in as any of them — the setup the console ITs would otherwise each repeat.
 */
final class ConsoleUsers {
    static final String PASSWORD = "correct horse battery";

    private final TestServer server;
    private final AccountRepository accounts;
    private final Moderators moderators;

    ConsoleUsers(TestServer server) {
        this.server = server;
        this.accounts = new AccountRepository(server.parley().databases().main());
        this.moderators = new Moderators(server.parley().databases().main());
    }

    /** A second site (besides the server's own) whose pages may be embedded from the test origin. */
    long site(String name, String displayName) {
        return new SiteRepository(server.parley().databases().main()).create(name, displayName,
                List.of(TestServer.ORIGIN));
    }

    /** A new account's id. */
    long account(String email, String displayName) {
        return accounts.create(email, displayName, Passwords.hash(PASSWORD)).orElseThrow();
    }

    /** A new account that moderates {@code sites}. */
    long moderator(String email, String displayName, long... sites) {
        long id = account(email, displayName);
        for (long site : sites) {
            moderators.add(site, id);
        }
        return id;
    }

    /** A browser signed in as {@code email}, carrying its session and CSRF token. */
    WebClient signedIn(String email) {
        WebClient client = server.client();
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", new HashMap<>(Map.of("email", email, "password", PASSWORD)));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }

    /** The numbers captured by {@code idOf}'s first group, in page order. */
    static List<Long> ids(Pattern idOf, String html) {
        List<Long> ids = new ArrayList<>();
        Matcher m = idOf.matcher(html);
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }
}
