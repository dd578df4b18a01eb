package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Word rules, the link limit, first-comment-is-pending and trusted authors, as authors and moderators see them. */
class RuleIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static ConsoleUsers users;
    private static long strictSite;

    @BeforeAll
    static void start() {
        users = new ConsoleUsers(server);
        strictSite = users.site("strict", "Strict site");
        users.moderator("mod@example.com", "Mod", server.site().id(), strictSite);
        users.account("newbie@example.com", "Newbie");
        users.account("friend@example.com", "Friend");
    }

    @Test
    void aBadRegexIsExplainedAndNotSaved() {
        WebClient mod = users.signedIn("mod@example.com");
        HttpResponse<String> bad = addRule(mod, "(unclosed", "reject");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"pattern-error\"", "This is not a valid regular expression", "Nothing was saved");
        assertThat(mod.get("/admin/rules").body()).doesNotContain("<code>(unclosed</code>");
    }

    @Test
    void aRejectRuleRefusesTheCommentOnTheForm() {
        assertThat(addRule(users.signedIn("mod@example.com"), "v[i1]agra", "reject").statusCode()).isEqualTo(302);
        HttpResponse<String> refused = postAsGuest("/embed/default", "words", "Cheap VIAGRA here");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Your comment contains a word this site does not allow.", "Cheap VIAGRA here");
        assertThat(users.signedIn("mod@example.com").get("/admin/audit").body()).contains("word-rule", "reject v[i1]agra");
    }

    @Test
    void aPendingRuleAndTheLinkLimitHoldTheCommentWithTheReason() {
        assertThat(addRule(users.signedIn("mod@example.com"), "casino", "pending").statusCode()).isEqualTo(302);
        server.mainSql("UPDATE main.site SET max_links = 1 WHERE name = 'default'");
        HttpResponse<String> held = postAsGuest("/embed/default", "held", "Visit my Casino tonight");
        assertThat(held.headers().firstValue("Location").orElseThrow()).contains("posted=pending");
        HttpResponse<String> links = postAsGuest("/embed/default", "held",
                "See https://a.example and www.b.example");
        assertThat(links.headers().firstValue("Location").orElseThrow()).contains("posted=pending");
        assertThat(postAsGuest("/embed/default", "held", "Only https://a.example").headers()
                .firstValue("Location").orElseThrow()).doesNotContain("posted=pending");

        String queue = users.signedIn("mod@example.com").get("/admin/queue?queue=pending").body();
        assertThat(queue).contains("Held: matches the word rule casino", "Held: 2 links (this site allows 1)");
        assertThat(server.client().get(TestServer.standalonePath("held")).body())
                .doesNotContain("Visit my Casino").doesNotContain("www.b.example").contains("Only");
    }

    @Test
    void aFirstCommentWaitsUntilApprovedAndTrustedAuthorsSkipPremoderation() {
        server.mainSql("UPDATE main.site SET first_comment_pending = true WHERE name = 'strict'");
        WebClient newbie = users.signedIn("newbie@example.com");
        HttpResponse<String> first = post(newbie, "/embed/strict", "first", Map.of("body", "Hello, first time"));
        assertThat(first.headers().firstValue("Location").orElseThrow()).contains("posted=pending");
        WebClient mod = users.signedIn("mod@example.com");
        String queue = mod.get("/admin/queue?queue=pending&site=" + strictSite).body();
        assertThat(queue).contains("Held: first comment on this site");
        String id = queue.replaceAll("(?s).*data-id=\"(\\d+)\".*", "$1");
        assertThat(mod.post("/admin/comments/" + id + "/approve", Map.of("expected", "pending")).statusCode()).isEqualTo(302);
        HttpResponse<String> second = post(newbie, "/embed/strict", "first", Map.of("body", "Hello again"));
        assertThat(second.headers().firstValue("Location").orElseThrow()).doesNotContain("posted=pending");

        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'strict'");
        mod.get("/admin/rules");
        assertThat(mod.post("/admin/rules/trusted", Map.of("site", Long.toString(strictSite),
                "account", "nobody@example.com")).body()).contains("There is no account");
        mod.get("/admin/rules");
        assertThat(mod.post("/admin/rules/trusted", Map.of("site", Long.toString(strictSite),
                "account", "friend@example.com")).statusCode()).isEqualTo(302);
        HttpResponse<String> trusted = post(users.signedIn("friend@example.com"), "/embed/strict", "first",
                Map.of("body", "Trusted words"));
        assertThat(trusted.headers().firstValue("Location").orElseThrow()).doesNotContain("posted=pending");
        assertThat(server.client().get("/t/strict/first").body()).contains("Trusted words", "Hello again");
    }

    private static HttpResponse<String> addRule(WebClient mod, String pattern, String action) {
        mod.get("/admin/rules");
        return mod.post("/admin/rules", Map.of("site", Long.toString(server.site().id()), "pattern", pattern,
                "action", action));
    }

    private static HttpResponse<String> postAsGuest(String embed, String key, String body) {
        return post(server.client(), embed, key, Map.of("body", body, "name", "Guest"));
    }

    private static HttpResponse<String> post(WebClient client, String embed, String key, Map<String, String> form) {
        String path = embed + "?key=" + key + "&url=" + TestServer.ORIGIN + "/" + key;
        client.get(path);
        return client.post(path, form);
    }
}
