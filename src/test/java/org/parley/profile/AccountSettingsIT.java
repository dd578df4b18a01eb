package org.parley.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a member manages on /account, checked where it shows: a new name on their comments (cached pages
 * included), a new password that signs other browsers out, "sign out everywhere", an address change that waits for
 * the link mailed to the new address, the data download, and deletion — comments kept under "deleted user" or
 * removed, the name gone from every page that showed it, the sessions ended, the deletion audited.
 */
class AccountSettingsIT {
    private static final Pattern POSTED = Pattern.compile("#comment-(\\d+)");

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void aGuestIsSentToSignInAndAFormWithoutSessionIsRefused() {
        WebClient guest = server.client();
        var page = guest.get("/account");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue("/signin?return=%2Faccount");
        assertThat(guest.post("/account/name", Map.of("name", "X")).statusCode()).isEqualTo(401);

        WebClient member = server.signedUp("csrf@example.com", "Cee Serf");
        member.get("/account");
        assertThat(member.post("/account/name", Map.of("name", "Forged", "csrf", "wrong")).statusCode()).isEqualTo(403);
    }

    @Test
    void aNewNameShowsOnTheirCommentsAlreadyCached() {
        WebClient ada = server.signedUp("rename@example.com", "Old Name");
        post(ada, "rename-thread", "A comment signed with a name");
        String page = TestServer.standalonePath("rename-thread");
        assertThat(server.client().get(page).body()).contains("Old Name"); // now in the page cache

        ada.get("/account");
        var saved = ada.post("/account/name", Map.of("name", "New Name"));
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(ada.follow(saved).body()).contains("Your new name is saved");
        String after = server.client().get(page).body();
        assertThat(after).contains("New Name").doesNotContain("Old Name");

        ada.get("/account");
        var empty = ada.post("/account/name", Map.of("name", "  "));
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("Choose a display name of 1 to 100 characters.");
    }

    @Test
    void aNewPasswordSignsOtherBrowsersOutButNotThisOne() {
        WebClient here = server.signedUp("pass@example.com", "Pa Ss");
        WebClient elsewhere = server.signedUp("pass@example.com", "Pa Ss");
        here.get("/account");
        var wrong = here.post("/account/password", Map.of("current", "not it at all", "password", "a new passphrase"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("That is not your current password.");

        var changed = here.post("/account/password", Map.of("current", TestServer.PASSWORD, "password", "a new passphrase"));
        assertThat(changed.statusCode()).isEqualTo(302);
        assertThat(here.get("/").body()).contains("Signed in as Pa Ss.");
        assertThat(elsewhere.get("/").body()).doesNotContain("Signed in as");
        assertThat(signIn("pass@example.com", "a new passphrase")).isEqualTo(302);
    }

    @Test
    void signingOutEverywhereEndsEverySession() {
        WebClient one = server.signedUp("everywhere@example.com", "Ev Rywhere");
        WebClient two = server.signedUp("everywhere@example.com", "Ev Rywhere");
        one.get("/account");
        var out = one.post("/account/sessions", Map.of());
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(one.get("/").body()).doesNotContain("Signed in as");
        assertThat(two.get("/").body()).doesNotContain("Signed in as");
        assertThat(two.get("/account").statusCode()).isEqualTo(302);
        assertThat(signIn("everywhere@example.com", TestServer.PASSWORD)).as("the password still works").isEqualTo(302);
    }

    @Test
    void anAddressChangesOnlyWhenTheLinkMailedToItIsFollowed() {
        WebClient me = server.signedUp("before@example.com", "Em Ail");
        server.signedUp("taken@example.com", "Tak En");
        me.get("/account");
        var taken = me.post("/account/email", Map.of("email", "taken@example.com", "current", TestServer.PASSWORD));
        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(taken.body()).contains("Another account uses this address.");
        var noPassword = me.post("/account/email", Map.of("email", "after@example.com", "current", "nope"));
        assertThat(noPassword.statusCode()).isEqualTo(400);

        var asked = me.post("/account/email", Map.of("email", "after@example.com", "current", TestServer.PASSWORD));
        assertThat(asked.statusCode()).isEqualTo(302);
        assertThat(me.follow(asked).body()).contains("We sent a link to the new address", "before@example.com");
        String text = server.parley().databases().main().fetchOne("SELECT payload->>'text' FROM main.outbox"
                + " WHERE payload->>'to' = 'after@example.com'").get(0, String.class);
        Matcher link = Pattern.compile("http://localhost:1234(/account/email/confirm\\?token=\\S+)").matcher(text);
        assertThat(link.find()).as(text).isTrue();

        WebClient other = server.signedUp("taken@example.com", "Tak En");
        assertThat(other.get(link.group(1)).statusCode()).as("another account's browser").isEqualTo(400);
        var confirmed = me.get(link.group(1));
        assertThat(confirmed.statusCode()).isEqualTo(302);
        assertThat(me.follow(confirmed).body()).contains("Your new email address is confirmed", "after@example.com");
        assertThat(signIn("after@example.com", TestServer.PASSWORD)).isEqualTo(302);
        assertThat(signIn("before@example.com", TestServer.PASSWORD)).isEqualTo(401);
    }

    @Test
    void theDataDownloadHoldsTheAccountAndEveryComment() {
        WebClient me = server.signedUp("data@example.com", "Da Ta");
        post(me, "data-one", "First words");
        post(me, "data-two", "Second \"quoted\" words");
        var data = me.get("/account/data");
        assertThat(data.statusCode()).isEqualTo(200);
        assertThat(data.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(data.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment");
        assertThat(data.body()).contains("\"format\":\"parley-account-export/1\"", "\"email\":\"data@example.com\"",
                "\"body\":\"First words\"", "\"body\":\"Second \\\"quoted\\\" words\"", "\"thread\":\"data-two\"");
    }

    @Test
    void deletingKeepsTheCommentsWithoutTheNameEverywhereTheyShowed() {
        WebClient me = server.signedUp("leaving@example.com", "Lea Ving");
        WebClient replier = server.signedUp("stays@example.com", "Stay Er");
        long comment = post(me, "leaving-thread", "Words that stay");
        postReply(replier, "leaving-thread", "A reply that stays", comment);
        String[] pages = {TestServer.standalonePath("leaving-thread"), TestServer.embedPath("leaving-thread"),
                TestServer.standalonePath("leaving-thread") + "/atom", "/feeds/default/atom", "/recent/default",
                "/api/v1/sites/default/threads/leaving-thread/comments"};
        for (String page : pages) {
            assertThat(server.client().get(page).body()).as(page).contains("Lea Ving"); // cached now
        }

        me.get("/account");
        var refused = me.post("/account/delete", Map.of("comments", "keep", "current", "wrong password"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(server.client().get(pages[0]).body()).contains("Lea Ving");

        var deleted = me.post("/account/delete", Map.of("comments", "keep", "current", TestServer.PASSWORD));
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).contains("Your account is deleted", "Your 1 comments stay");
        for (String page : pages) {
            HttpResponse<String> seen = server.client().get(page);
            assertThat(seen.body()).as(page).doesNotContain("Lea Ving").contains("Words that stay");
        }
        assertThat(server.client().get(pages[0]).body()).contains("deleted user", "A reply that stays");
        assertThat(me.get("/").body()).doesNotContain("Signed in as");
        assertThat(signIn("leaving@example.com", TestServer.PASSWORD)).isEqualTo(401);
        var audit = server.parley().databases().main().fetchOne("SELECT action, after FROM main.audit_log"
                + " WHERE target = (SELECT 'account:' || id FROM main.account WHERE display_name = 'deleted user'"
                + " AND deleted_at IS NOT NULL ORDER BY id DESC LIMIT 1)");
        assertThat(audit.get(0, String.class)).isEqualTo("account.delete");
        assertThat(audit.get(1, String.class)).isEqualTo("1 comments kept as deleted user");
        // the address is free again
        assertThat(server.signedUp("leaving@example.com", "Back Again").get("/").body()).contains("Signed in as Back Again.");
    }

    @Test
    void deletingCanRemoveTheCommentsTooAndTheCountsFollow() {
        WebClient me = server.signedUp("remove@example.com", "Re Move");
        post(me, "remove-thread", "Gone with the account");
        post(server.signedUp("other@example.com", "Oth Er"), "remove-thread", "Not mine");
        String page = TestServer.standalonePath("remove-thread");
        assertThat(server.client().get(page).body()).contains("2 comments");

        me.get("/account");
        var deleted = me.post("/account/delete", Map.of("comments", "remove", "current", TestServer.PASSWORD));
        assertThat(deleted.body()).contains("your 1 comments are removed");
        String after = server.client().get(page).body();
        assertThat(after).contains("1 comment", "Not mine").doesNotContain("Gone with the account", "Re Move");
    }

    // ---- helpers ----

    private static long post(WebClient client, String key, String body) {
        client.get(TestServer.embedPath(key));
        return posted(client.post(TestServer.embedPath(key), Map.of("body", body)));
    }

    private static void postReply(WebClient client, String key, String body, long parent) {
        client.get(TestServer.embedPath(key));
        posted(client.post(TestServer.embedPath(key), Map.of("body", body, "parent", Long.toString(parent))));
    }

    private static long posted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(302, 303);
        Matcher m = POSTED.matcher(response.headers().firstValue("Location").orElseThrow());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static int signIn(String email, String password) {
        WebClient client = server.client();
        client.get("/signin");
        return client.post("/signin", Map.of("email", email, "password", password, "return", "/")).statusCode();
    }
}
