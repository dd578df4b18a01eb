package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.data.Ids;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commenting over HTTP the way a browser without JavaScript does it (forms, post/redirect/get), and every kind
 * of bad input the issue lists: each gets a clear message, and nothing is half-written.
 */
class CommentingIT {
    private static final Pattern COMMENT_ID = Pattern.compile("<li id=\"comment-(\\d+)\"");
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void aGuestPostsAndIsSentBackToTheComment() {
        WebClient guest = server.client();
        String page = TestServer.embedPath("guest-post");
        guest.get(page);
        HttpResponse<String> posted = guest.post(page, Map.of("name", "Grace", "body", "Hello *there*"));

        assertThat(posted.statusCode()).isEqualTo(302);
        assertThat(posted.headers().firstValue("Location").orElseThrow()).matches(".*#comment-\\d+");
        HttpResponse<String> after = guest.follow(posted);
        assertThat(after.body()).contains("Grace", "Hello <em>there</em>", "1 comment");
    }

    @Test
    void anEmptyCommentIsRefusedOnTheFormWithWhatWasTyped() {
        WebClient guest = server.client();
        String page = TestServer.embedPath("empty");
        guest.get(page);
        HttpResponse<String> refused = guest.post(page, Map.of("name", "Grace", "body", "   "));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("role=\"alert\"", "Your comment is empty.", "value=\"Grace\"");
        assertThat(guest.get(page).body()).contains("No comments yet");
    }

    @Test
    void anOverlongCommentIsRefusedWithTheLimit() {
        WebClient guest = server.client();
        String page = TestServer.embedPath("long");
        guest.get(page);
        HttpResponse<String> refused = guest.post(page, Map.of("name", "G", "body", "x".repeat(10_001)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Your comment is 10001 characters long; the limit here is 10000.");
    }

    @Test
    void unknownSitesAndThreadsAreNotFound() {
        WebClient visitor = server.client();
        assertThat(visitor.get("/t/nosuchsite/key").body()).contains("No such site.");
        assertThat(visitor.get("/t/nosuchsite/key").statusCode()).isEqualTo(404);
        assertThat(visitor.get("/t/default/never-embedded").statusCode()).isEqualTo(404);
        assertThat(visitor.get("/t/default/never-embedded").body()).contains("No such discussion.");
        assertThat(visitor.get("/c/12345/edit").statusCode()).isEqualTo(404);
        assertThat(visitor.get("/embed/default").statusCode()).isEqualTo(400);
    }

    @Test
    void anEmbedForAPageOfAnotherOriginCreatesNoThread() {
        var response = server.client().get("/embed/default?key=foreign&url=https%3A%2F%2Fevil.example%2Fx");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(server.client().get("/t/default/foreign").statusCode()).isEqualTo(404);
    }

    @Test
    void aNewCommentsRootAndPathFollowFromTheIdItsInsertMinted() {
        var thread = server.thread("placed");
        long top = server.post(thread, null, "top");
        long reply = server.post(thread, top, "reply");
        long deeper = server.post(thread, reply, "deeper");
        var shard = server.parley().databases().write(org.parley.data.Ids.shardOf(top));
        String schema = org.parley.data.ShardRouter.schemaOf(org.parley.data.Ids.shardOf(top));
        var rows = shard.fetch("SELECT id, root_id, path, depth FROM " + schema + ".comment WHERE thread_id = ? ORDER BY path",
                thread.id());

        assertThat(rows.getValues("id", Long.class)).containsExactly(top, reply, deeper);
        assertThat(rows.getValues("root_id", Long.class)).containsOnly(top);
        assertThat(rows.getValues("depth", Integer.class)).containsExactly(0, 1, 2);
        String topPath = NewComment.pathSegment(top);
        String replyPath = topPath + "." + NewComment.pathSegment(reply);
        assertThat(rows.getValues("path", String.class))
                .containsExactly(topPath, replyPath, replyPath + "." + NewComment.pathSegment(deeper));
        assertThat(Ids.shardOf(reply)).as("the id names the thread's shard").isEqualTo(Ids.shardOf(thread.id()));
    }

    @Test
    void aReplyToACommentOfAnotherThreadIsRefused() {
        long elsewhere = server.post(server.thread("other-thread"), null, "over here");
        WebClient guest = server.client();
        String page = TestServer.embedPath("this-thread");
        guest.get(page);
        HttpResponse<String> refused = guest.post(page, Map.of("name", "G", "body", "hi", "parent", Long.toString(elsewhere)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("You can only reply to a comment in this discussion.");
        assertThat(guest.get(page).body()).contains("No comments yet");
    }

    @Test
    void aMembersFormWithoutItsCsrfTokenIsRefusedAndAForgedCookieMakesNobodyAMember() {
        long theirs = server.post(server.thread("csrf"), null, "Vote for me");
        String page = TestServer.embedPath("csrf");
        WebClient member = server.signedUp("csrf@example.com", "Csrf");
        member.get(page);
        HttpResponse<String> noToken = member.postRaw(page, Map.of("body", "hi"));
        assertThat(noToken.statusCode()).as("from our own origin, but a session's form needs its token").isEqualTo(403);
        assertThat(noToken.body()).contains("This form has expired or was not sent from this site.");

        // every character of the MAC changed: no bit of the signature survives (the last character alone may carry
        // only padding bits)
        String cookie = member.cookie("parley_session");
        int mac = cookie.lastIndexOf('.') + 1;
        StringBuilder forgedCookie = new StringBuilder(cookie.substring(0, mac));
        cookie.substring(mac).chars().forEach(c -> forgedCookie.append(c == 'A' ? 'B' : 'A'));
        member.setCookie("parley_session", forgedCookie.toString());
        HttpResponse<String> forged = member.post("/c/" + theirs + "/vote", Map.of("value", "1", "return", page));
        assertThat(forged.statusCode()).as("a forged cookie is a guest's (sent %s, answered %s %s)", forgedCookie,
                forged.statusCode(), forged.headers().firstValue("Location").orElse("")).isEqualTo(401);
        assertThat(forged.body()).contains("Sign in to vote.");
        assertThat(scoreOf(server.client().get(page).body(), theirs)).isEqualTo("0");
        assertThat(server.client().get(page).body()).doesNotContain(">hi<");
    }

    @Test
    void aSignedInUserVotesOnceEditsAndDeletesLeavingATombstoneForReplies() {
        String page = TestServer.embedPath("account-flow");
        WebClient author = server.signedUp("author@example.com", "Author");
        WebClient reader = server.signedUp("reader@example.com", "Reader");

        author.get(page);
        long mine = idOf(author.post(page, Map.of("body", "Original text")));
        reader.get(page);
        long reply = idOf(reader.post(page, Map.of("body", "A reply", "parent", Long.toString(mine))));

        // vote up twice: still one vote
        reader.get(page);
        reader.post("/c/" + mine + "/vote", Map.of("value", "1", "return", page));
        reader.get(page);
        reader.post("/c/" + mine + "/vote", Map.of("value", "1", "return", page));
        assertThat(scoreOf(reader.get(page).body(), mine)).isEqualTo("1");
        // voting on one's own comment is refused
        author.get(page);
        assertThat(author.post("/c/" + mine + "/vote", Map.of("value", "1", "return", page)).statusCode()).isEqualTo(403);

        // edit: only the author, within the window
        reader.get(page);
        assertThat(reader.post("/c/" + mine + "/edit", Map.of("body", "Hijacked", "return", page)).statusCode()).isEqualTo(403);
        author.get("/c/" + mine + "/edit?return=" + page);
        author.follow(author.post("/c/" + mine + "/edit", Map.of("body", "Edited **text**", "return", page)));
        assertThat(author.get(page).body()).contains("Edited <strong>text</strong>", "edited").doesNotContain("Original text");

        // delete with a reply: a tombstone keeps the reply's place
        author.get(page);
        author.follow(author.post("/c/" + mine + "/delete", Map.of("return", page)));
        String after = author.get(page).body();
        assertThat(after).contains("This comment was removed.", "A reply").doesNotContain("Edited");
        assertThat(after).contains("comment-" + reply);
        assertThat(after).contains("1 comment");
    }

    @Test
    void editingAfterTheWindowIsRefused() {
        String page = TestServer.embedPath("late-edit");
        WebClient author = server.signedUp("late@example.com", "Late");
        author.get(page);
        long id = idOf(author.post(page, Map.of("body", "Quick")));
        server.mainSql("UPDATE main.site SET edit_window_seconds = 0 WHERE name = 'default'");
        try {
            author.get(page);
            HttpResponse<String> refused = author.post("/c/" + id + "/edit", Map.of("body", "Too late", "return", page));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("Comments can be changed for 0 minutes after posting; this one is older.");
            assertThat(author.get(page).body()).contains("Quick").doesNotContain("Too late");
        } finally {
            server.mainSql("UPDATE main.site SET edit_window_seconds = 900 WHERE name = 'default'");
        }
    }

    @Test
    void guestsAreAskedToSignInWhereTheSiteDoesNotAllowThem() {
        String page = TestServer.embedPath("members-only");
        server.client().get(page); // create the thread while guests may still look
        server.mainSql("UPDATE main.site SET guests_allowed = false WHERE name = 'default'");
        try {
            WebClient guest = server.client();
            assertThat(guest.get(page).body()).contains("Sign in to comment on this site.").doesNotContain("name=\"body\"");
            HttpResponse<String> refused = guest.post(page, Map.of("name", "G", "body", "let me in"));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("Sign in to comment on this site.");
        } finally {
            server.mainSql("UPDATE main.site SET guests_allowed = true WHERE name = 'default'");
        }
    }

    @Test
    void signInWithAWrongPasswordSaysSoOnTheForm() {
        server.signedUp("known@example.com", "Known");
        WebClient visitor = server.client();
        visitor.get("/signin");
        HttpResponse<String> refused = visitor.post("/signin", Map.of("email", "known@example.com", "password", "wrong password"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("That email and password do not match an account.", "value=\"known@example.com\"")
                .doesNotContain("wrong password");
    }

    @Test
    void aKeyWithSlashesSpacesAndUnicodeHasAStableStandaloneUrl() {
        String key = "2026/11/ünïcode post?x=1";
        server.thread(key);
        HttpResponse<String> page = server.client().get(TestServer.standalonePath(key));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("ünïcode post?x=1");
    }

    @Test
    void withPremoderationACommentWaitsAndOnlyItsAuthorSeesIt() {
        String page = TestServer.embedPath("premoderated");
        server.client().get(page);
        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        try {
            WebClient author = server.signedUp("patient@example.com", "Patient");
            author.get(page);
            HttpResponse<String> posted = author.post(page, Map.of("body", "Waiting for approval"));
            assertThat(posted.headers().firstValue("Location").orElseThrow()).contains("posted=pending");
            assertThat(author.follow(posted).body())
                    .contains("Your comment will appear once a moderator approves it.", "Waiting for approval",
                            "Awaiting moderation: only you can see this.");
            assertThat(server.client().get(page).body()).doesNotContain("Waiting for approval").contains("No comments yet");
        } finally {
            server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
        }
    }

    @Test
    void aReportIsRecordedOncePerAccount() {
        long id = server.post(server.thread("reported"), null, "Buy cheap watches");
        String page = TestServer.embedPath("reported");
        WebClient reader = server.signedUp("reporter@example.com", "Reporter");
        assertThat(reader.get("/c/" + id + "/flag?return=" + page).body()).contains("Spam or advertising");
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> flagged = reader.post("/c/" + id + "/flag", Map.of("reason", "spam", "return", page));
            assertThat(flagged.statusCode()).isEqualTo(302);
        }
        var shard = server.parley().databases().write(org.parley.data.Ids.shardOf(id));
        String schema = org.parley.data.ShardRouter.schemaOf(org.parley.data.Ids.shardOf(id));
        assertThat(((Number) shard.fetchValue("SELECT flag_count FROM " + schema + ".comment WHERE id = ?", id)).intValue())
                .isEqualTo(1);
        HttpResponse<String> noReason = reader.post("/c/" + id + "/flag", Map.of("reason", "because", "return", page));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("Choose why you are reporting this comment.");
    }

    private static long idOf(HttpResponse<String> redirect) {
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        Matcher m = Pattern.compile("#comment-(\\d+)").matcher(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String scoreOf(String html, long id) {
        int at = html.indexOf("id=\"comment-" + id + "\"");
        Matcher m = Pattern.compile("<span class=\"score\"[^>]*>(-?\\d+)</span>").matcher(html.substring(at));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
