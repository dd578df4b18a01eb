package org.parley.sso;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.moderation.Bans;
import org.parley.moderation.Moderators;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host site's user over HTTP, as the embed frame drives it: signed in by POST /embed/SITE/sso, posting as
 * themselves, banned and looked up by moderators like any account, a guest on another site, and never mixed up
 * with a Parley account of the same email. Payloads from elsewhere are refused.
 */
class SsoAccountsIT {
    private static final String SECRET = "accounts-test-secret-0123456789abcdef";
    private static final String PASSWORD = "correct horse battery";
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static long site;

    @BeforeAll
    static void sso() {
        site = server.site().id();
        new SsoSettingsRepository(server.parley().databases().main()).save(site,
                new SsoSettings(SECRET, null, null, Duration.ofHours(2)), false);
        long elsewhere = new SiteRepository(server.parley().databases().main()).create("elsewhere", "Elsewhere",
                List.of(TestServer.ORIGIN));
        new org.parley.discussion.ThreadRepository(server.parley().databases())
                .findOrCreate(elsewhere, "x", TestServer.ORIGIN + "/x", "X");
    }

    @Test
    void aHostUserPostsAsThemselvesAndIsBannedLikeAnyAccount() {
        WebClient reader = server.client();
        reader.get(TestServer.embedPath("sso-bans"));
        HttpResponse<String> in = signIn(reader, "h-1", "Hana Host", "hana@host.example");
        assertThat(in.body()).contains("\"signedIn\":true", "\"name\":\"Hana Host\"", "\"changed\":true");
        long account = accountOf("h-1");

        reader.get(TestServer.embedPath("sso-bans"));
        HttpResponse<String> posted = reader.post(TestServer.embedPath("sso-bans"), Map.of("body", "From my blog account."));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        assertThat(server.client().get(TestServer.standalonePath("sso-bans")).body()).contains("From my blog account.",
                "Hana Host");

        var moderator = signedInModerator("sso-mod@example.com");
        assertThat(moderator.get("/admin/authors/" + site + "/account/" + account).body())
                .contains("Hana Host (hana@host.example, account " + account + ")", "From my blog account.");
        new Bans(server.parley().databases().main()).create(new Bans.NewBan(site, "account", Long.toString(account),
                "test", null, false), accountOfEmail("sso-mod@example.com"));

        reader.get(TestServer.embedPath("sso-bans"));
        HttpResponse<String> refused = reader.post(TestServer.embedPath("sso-bans"), Map.of("body", "Again."));
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void aSecondSignInUpdatesTheSameAccountAndAnotherSiteSeesAGuest() {
        WebClient reader = server.client();
        reader.get(TestServer.embedPath("sso-update"));
        signIn(reader, "h-2", "Old Name", null);
        long first = accountOf("h-2");

        HttpResponse<String> again = signIn(reader, "h-2", "New Name", "new@host.example");

        assertThat(again.body()).contains("\"name\":\"New Name\"", "\"changed\":true");
        assertThat(accountOf("h-2")).isEqualTo(first);
        String elsewhere = reader.get("/embed/elsewhere/me?key=x", Map.of("Accept", "application/json")).body();
        assertThat(elsewhere).as("an SSO account acts on its own site only").contains("\"signedIn\":false");
    }

    @Test
    void theSameEmailAsAParleyAccountIsAnotherAccount() {
        var accounts = new AccountRepository(server.parley().databases().main());
        long parleyAccount = accounts.create("shared@example.com", "Parley Person", Passwords.hash(PASSWORD)).orElseThrow();
        WebClient reader = server.client();
        reader.get(TestServer.embedPath("sso-email"));

        signIn(reader, "h-3", "Host Person", "shared@example.com");

        assertThat(accountOf("h-3")).isNotEqualTo(parleyAccount);
        assertThat(accounts.byEmail("shared@example.com")).hasValueSatisfying(a -> assertThat(a.id()).isEqualTo(parleyAccount));
        WebClient parleyUser = server.client();
        parleyUser.get("/signin");
        assertThat(parleyUser.post("/signin", new HashMap<>(Map.of("email", "shared@example.com", "password", PASSWORD)))
                .statusCode()).as("Parley's own account still signs in").isEqualTo(302);
    }

    @Test
    void aPayloadPostedFromAnotherSiteIsRefusedAndABadOneSignsOut() {
        WebClient reader = server.client();
        reader.get(TestServer.embedPath("sso-refused"));
        HttpResponse<String> crossSite = org.parley.testing.Http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.base() + "/embed/default/sso"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("payload=" + java.net.URLEncoder.encode(
                        payload("h-4", "Mallory", null, Instant.now().getEpochSecond()), StandardCharsets.UTF_8)))
                .build());
        assertThat(crossSite.statusCode()).isEqualTo(403);

        signIn(reader, "h-5", "Soon Out", null);
        HttpResponse<String> expired = reader.post("/embed/default/sso", Map.of("payload",
                payload("h-5", "Soon Out", null, Instant.now().minusSeconds(3 * 3600).getEpochSecond())));
        assertThat(expired.body()).contains("\"signedIn\":false", "\"changed\":true").doesNotContain("minutes ago");
    }

    private static HttpResponse<String> signIn(WebClient reader, String id, String name, String email) {
        HttpResponse<String> answer = reader.post("/embed/default/sso",
                Map.of("payload", payload(id, name, email, Instant.now().getEpochSecond())));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer;
    }

    private static String payload(String id, String name, String email, long timestamp) {
        String json = "{\"id\":\"" + id + "\",\"username\":\"" + name + "\""
                + (email == null ? "" : ",\"email\":\"" + email + "\"") + "}";
        String message = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        return message + " " + HexFormat.of().formatHex(SsoPayloads.hmacSha1(SECRET, message + " " + timestamp))
                + " " + timestamp;
    }

    private static long accountOf(String ssoId) {
        return server.parley().databases().main().fetchSingle(
                "SELECT id FROM main.account WHERE sso_site_id = ? AND sso_id = ?", site, ssoId).get(0, Long.class);
    }

    private static long accountOfEmail(String email) {
        return new AccountRepository(server.parley().databases().main()).byEmail(email).orElseThrow().id();
    }

    private static WebClient signedInModerator(String email) {
        var accounts = new AccountRepository(server.parley().databases().main());
        long id = accounts.create(email, "SSO Mod", Passwords.hash(PASSWORD)).orElseThrow();
        new Moderators(server.parley().databases().main()).add(site, id);
        WebClient client = server.client();
        client.get("/signin");
        assertThat(client.post("/signin", new HashMap<>(Map.of("email", email, "password", PASSWORD))).statusCode())
                .isEqualTo(302);
        return client;
    }
}
