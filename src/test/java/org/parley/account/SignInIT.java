package org.parley.account;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where signing in and out leads: back to the page that asked (the console included, which used to land on the
 * home page), and a home page that shows a signed-in person who they are, the way into the console when they
 * moderate something, and sign-out.
 */
class SignInIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @BeforeAll
    static void start() {
        server.signedUp("admin@example.com", "Ada Admin");
        server.mainSql("UPDATE main.account SET is_admin = true WHERE email = 'admin@example.com'");
        server.signedUp("mod@example.com", "Mo Moderator");
        server.mainSql("INSERT INTO main.site_moderator (site_id, account_id) SELECT s.id, a.id FROM main.site s, "
                + "main.account a WHERE s.name = 'default' AND a.email = 'mod@example.com'");
        server.signedUp("member@example.com", "Mem Ber");
    }

    @Test
    void signingInFromTheConsoleDoorLandsInTheConsole() {
        WebClient admin = server.client();
        var door = admin.get("/admin");
        assertThat(door.statusCode()).isEqualTo(302);
        String signIn = door.headers().firstValue("Location").orElseThrow();
        assertThat(signIn).isEqualTo("/signin?return=%2Fadmin");

        assertThat(admin.get(signIn).body()).contains("name=\"return\" value=\"/admin\"");
        var signedIn = admin.post("/signin", Map.of("email", "admin@example.com", "password", TestServer.PASSWORD,
                "return", "/admin"));

        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/admin");
        var console = admin.follow(signedIn);
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains("<h1>Console</h1>");
    }

    @Test
    void aDeepConsoleAddressSurvivesTheSignInToo() {
        WebClient mod = server.client();
        String signIn = mod.get("/admin/queue").headers().firstValue("Location").orElseThrow();
        mod.get(signIn);
        var signedIn = mod.post("/signin", Map.of("email", "mod@example.com", "password", TestServer.PASSWORD,
                "return", "/admin/queue"));
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/admin/queue");
    }

    @Test
    void theHomePageGivesAModeratorTheConsoleAndSignOut() {
        for (String email : new String[] {"admin@example.com", "mod@example.com"}) {
            String home = server.signedUp(email, "x").get("/").body();
            assertThat(home).contains("Signed in as", "href=\"/admin\"", "action=\"/signout\"");
        }
    }

    @Test
    void theHomePageGivesAMemberSignOutButNoConsole() {
        var home = server.signedUp("member@example.com", "Mem Ber").get("/");
        assertThat(home.body()).contains("Signed in as Mem Ber.", "action=\"/signout\"")
                .doesNotContain("href=\"/admin\"");
        assertThat(home.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void theHomePageOffersAGuestSignInAndSignUp() {
        String home = server.client().get("/").body();
        assertThat(home).contains("href=\"/signin\"", "href=\"/signup\"").doesNotContain("action=\"/signout\"");
    }

    @Test
    void signingOutFromTheHomePageLandsThereAsAGuest() {
        WebClient member = server.signedUp("member@example.com", "Mem Ber");
        member.get("/");
        var out = member.post("/signout", Map.of("return", "/"));
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location")).hasValue("/");
        assertThat(member.follow(out).body()).contains("href=\"/signin\"").doesNotContain("Signed in as");
    }

    /** An account locked after repeated wrong passwords: the form again, with the reason, and when to come back. */
    @Test
    void aLockedSignInSaysWhenToComeBackInTheHeaderToo() {
        server.signedUp("locked-out@example.com", "Locked Out");
        var visitor = server.client();
        visitor.get("/signin");
        for (int i = 0; i < org.parley.account.SignInThrottle.MAX_FAILURES; i++) {
            assertThat(visitor.post("/signin", java.util.Map.of("email", "locked-out@example.com",
                    "password", "wrong " + i)).statusCode()).isEqualTo(401);
        }

        var locked = visitor.post("/signin", java.util.Map.of("email", "locked-out@example.com",
                "password", TestServer.PASSWORD));

        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).as("seconds until the lock ends").isPresent()
                .get().satisfies(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(locked.body()).contains("name=\"email\"");
    }
}
