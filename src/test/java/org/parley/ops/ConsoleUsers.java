package org.parley.ops;

import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.moderation.Moderators;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An administrator, a moderator of the default site and a plain account, signed in through the real form. */
final class ConsoleUsers {
    static final String PASSWORD = "correct horse battery";

    private ConsoleUsers() {
    }

    static void create(TestServer server) {
        var accounts = new AccountRepository(server.parley().databases().main());
        long admin = accounts.create("admin@example.com", "Admin", Passwords.hash(PASSWORD)).orElseThrow();
        server.mainSql("UPDATE main.account SET is_admin = true WHERE id = " + admin);
        long mod = accounts.create("mod@example.com", "Mod", Passwords.hash(PASSWORD)).orElseThrow();
        new Moderators(server.parley().databases().main()).add(server.site().id(), mod);
        accounts.create("plain@example.com", "Plain", Passwords.hash(PASSWORD)).orElseThrow();
    }

    static WebClient signedIn(TestServer server, String who) {
        WebClient client = server.client();
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", Map.of("email", who + "@example.com", "password", PASSWORD));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }
}
