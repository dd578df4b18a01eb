package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.discussion.ThreadRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bans through the console and what banned authors (and everyone else) then see when they post. */
class BanIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static ConsoleUsers users;
    private static long otherSite;

    @BeforeAll
    static void start() {
        users = new ConsoleUsers(server);
        otherSite = users.site("other", "Other site");
        users.moderator("mod@example.com", "Mod", server.site().id(), otherSite);
        users.moderator("othermod@example.com", "Other Mod", otherSite);
        users.account("troll@example.com", "Troll");
        users.account("shady@example.com", "Shady");
    }

    @Test
    void aBannedAccountIsRefusedWithTheReason() {
        HttpResponse<String> saved = ban(users.signedIn("mod@example.com"), Map.of("kind", "account",
                "value", "troll@example.com", "reason", "personal attacks", "days", "30"));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);

        HttpResponse<String> refused = postAs(users.signedIn("troll@example.com"), "banned-account", "Hello again");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("You cannot comment on this site (personal attacks).");
        assertThat(server.client().get(TestServer.standalonePath("banned-account")).body()).doesNotContain("Hello again");

        String list = users.signedIn("mod@example.com").get("/admin/bans").body();
        assertThat(list).contains("personal attacks", "Mod");
        assertThat(users.signedIn("mod@example.com").get("/admin/audit").body()).contains("ban", "personal attacks");
    }

    @Test
    void aShadowBannedAuthorSeesTheirCommentNobodyElseDoesAndItIsNotCounted() {
        ban(users.signedIn("mod@example.com"), Map.of("kind", "email", "value", "SHADY@example.com",
                "reason", "spam links", "shadow", "on"));
        HttpResponse<String> posted = postAs(users.signedIn("shady@example.com"), "shadowed", "Buy my pills");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);

        WebClient author = users.signedIn("shady@example.com");
        assertThat(author.get(TestServer.standalonePath("shadowed")).body()).contains("Buy my pills");
        assertThat(server.client().get(TestServer.standalonePath("shadowed")).body()).doesNotContain("Buy my pills");
        assertThat(users.signedIn("troll@example.com").get(TestServer.standalonePath("shadowed")).body())
                .doesNotContain("Buy my pills");

        var thread = new ThreadRepository(server.parley().databases()).find(server.site().id(), "shadowed").orElseThrow();
        assertThat(thread.commentCount()).isZero();
        server.post(thread, null, "A normal guest comment");
        assertThat(new ThreadRepository(server.parley().databases()).find(server.site().id(), "shadowed")
                .orElseThrow().commentCount()).isEqualTo(1);
    }

    @Test
    void anIpBanCoversItsRangeOnItsSiteOnly() {
        HttpResponse<String> saved = ban(users.signedIn("mod@example.com"), Map.of("site", Long.toString(otherSite),
                "kind", "ip", "value", "127.0.0.0/8", "reason", "flooding"));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        assertThat(users.signedIn("mod@example.com").get("/admin/bans").body()).contains("127.0.0.0/8");

        WebClient guest = server.client();
        String otherEmbed = "/embed/other?key=ip&url=" + TestServer.ORIGIN + "/ip";
        guest.get(otherEmbed);
        HttpResponse<String> refused = guest.post(otherEmbed, Map.of("body", "From localhost", "name", "Guest"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("You cannot comment on this site (flooding).");
        // the default site has no such ban
        assertThat(postAs(server.client(), "ip-default", "From localhost").statusCode()).isEqualTo(302);
    }

    @Test
    void aMalformedRangeOrUnknownAccountIsShownBesideTheFieldAndNothingIsSaved() {
        WebClient mod = users.signedIn("mod@example.com");
        HttpResponse<String> cidr = ban(mod, Map.of("kind", "ip", "value", "10.0.0.1/8", "reason", "nope"));
        assertThat(cidr.statusCode()).isEqualTo(400);
        assertThat(cidr.body()).contains("id=\"value-error\"", "is not an IP address or CIDR range",
                "Nothing was saved");
        HttpResponse<String> account = ban(mod, Map.of("kind", "account", "value", "nobody@example.com", "reason", "x"));
        assertThat(account.statusCode()).isEqualTo(400);
        assertThat(account.body()).contains("There is no account", "nobody@example.com");
        HttpResponse<String> days = ban(mod, Map.of("kind", "email", "value", "a@b.c", "reason", "x", "days", "soon"));
        assertThat(days.statusCode()).isEqualTo(400);
        assertThat(days.body()).contains("Expiry is a number of days");
        assertThat(mod.get("/admin/bans").body()).doesNotContain("10.0.0.1/8").doesNotContain("a@b.c");
    }

    @Test
    void aForgedSiteIdIsNotFoundAndOutsidersCannotBan() {
        HttpResponse<String> forged = ban(users.signedIn("othermod@example.com"), Map.of("site",
                Long.toString(server.site().id()), "kind", "ip", "value", "192.0.2.0/24", "reason", "forged"));
        assertThat(forged.statusCode()).isEqualTo(404);
        assertThat(users.signedIn("troll@example.com").get("/admin/bans").statusCode()).isEqualTo(403);
        assertThat(server.client().get("/admin/bans").statusCode()).isEqualTo(302);
        assertThat(users.signedIn("mod@example.com").get("/admin/bans").body()).doesNotContain("192.0.2.0/24");
    }

    private static HttpResponse<String> ban(WebClient client, Map<String, String> fields) {
        client.get("/admin/bans");
        Map<String, String> form = new HashMap<>(fields);
        form.putIfAbsent("site", Long.toString(server.site().id()));
        return client.post("/admin/bans", form);
    }

    private static HttpResponse<String> postAs(WebClient client, String key, String body) {
        client.get(TestServer.embedPath(key));
        return client.post(TestServer.embedPath(key), Map.of("body", body, "name", "Guest"));
    }
}
