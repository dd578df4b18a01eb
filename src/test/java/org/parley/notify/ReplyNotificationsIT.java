package org.parley.notify;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MailServer;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Notify me of replies", end to end with a real SMTP server: a member's reply mail with its threading and
 * one-click unsubscribe headers, the RFC 8058 POST honoured at once, nothing for a reply to oneself or to a removed
 * comment, a guest's double opt-in before anything is sent, and the SQL price of a notification (one statement).
 */
class ReplyNotificationsIT {
    private static final Duration ARRIVAL = Duration.ofSeconds(20);
    private static final Pattern POSTED = Pattern.compile("#comment-(\\d+)");

    @RegisterExtension
    @Order(1)
    static final MailServer mail = new MailServer();

    @RegisterExtension
    @Order(2)
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_SMTP_URL", mail.url(),
            "PARLEY_OUTBOX_POLL_MS", "100"));

    @Test
    void aMemberIsMailedARepliesWithThreadingAndOneClickUnsubscribeThatWorksAtOnce() throws Exception {
        WebClient ada = member("ada@example.com", "Ada Author");
        WebClient bo = member("bo@example.com", "Bo Replier");
        String thread = TestServer.embedPath("notify-members");
        long parent = post(ada, thread, "Ada asks a question", null, true);
        long reply = post(bo, thread, "Bo answers it\n\nwith a second paragraph", parent, false);

        // the first mail confirmed the address
        MimeMessage message = mail.awaitMail("ada@example.com", "Bo Replier replied to your comment", ARRIVAL);
        assertThat(MailServer.header(message, "Message-ID")).isEqualTo("<comment-" + reply + "@localhost>");
        assertThat(MailServer.header(message, "In-Reply-To")).isEqualTo("<comment-" + parent + "@localhost>");
        assertThat(MailServer.header(message, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        String unsubscribe = MailServer.header(message, "List-Unsubscribe");
        assertThat(unsubscribe).matches("<http://localhost:1234/unsubscribe\\?token=[^>]+>");
        assertThat(MailServer.text(message)).contains("Hello Ada Author,", "Bo Replier replied to your comment on",
                "Bo answers it", "http://localhost:1234/c/" + reply);
        assertThat(MailServer.html(message)).contains("Stop mailing me replies");

        // what a mail provider sends for the one-click button: no cookie, no CSRF token, just the link
        String url = server.base() + unsubscribe.substring("<http://localhost:1234".length(), unsubscribe.length() - 1);
        HttpResponse<String> oneClick = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(oneClick.statusCode()).as(oneClick.body()).isEqualTo(200);
        assertThat(oneClick.body()).contains("will not mail replies to ada@example.com");

        long unheard = post(bo, thread, "Bo adds something", parent, false);
        await().atMost(ARRIVAL).until(() -> outcome(unheard) != null);
        assertThat(outcome(unheard)).isEqualTo("dropped: the author unsubscribed from replies");
        assertThat(mail.to("ada@example.com")).hasSize(2);
    }

    @Test
    void noMailForAReplyToOneselfOrToARemovedComment() throws Exception {
        WebClient cy = member("cy@example.com", "Cy Self");
        WebClient di = member("di@example.com", "Di Other");
        String thread = TestServer.embedPath("notify-none");
        long parent = post(cy, thread, "Cy's comment", null, true);
        long own = post(cy, thread, "Cy answers themself", parent, false);
        assertThat(outcome(own)).as("no row at all: the write knows it is the same person").isNull();

        long reply = post(di, thread, "Di answers", parent, false);
        await().atMost(ARRIVAL).until(() -> outcome(reply) != null);
        assertThat(outcome(reply)).isEqualTo("sent");

        // the same event delivered again after the comment was removed (or the reply marked as spam): nothing is sent
        java.util.List<String> sent = new java.util.ArrayList<>();
        var courier = courier(sent);
        String event = "{\"type\":\"reply\",\"reply\":" + reply + ",\"parent\":" + parent + "}";
        shardSql(parent, "UPDATE %s.comment SET state = 'deleted' WHERE id = " + parent);
        assertThat(courier.deliver(event).note()).isEqualTo("the comment replied to is not public (any more)");
        shardSql(parent, "UPDATE %s.comment SET state = 'approved' WHERE id = " + parent);
        shardSql(reply, "UPDATE %s.comment SET state = 'spam' WHERE id = " + reply);
        assertThat(courier.deliver(event).note()).isEqualTo("the reply is not public (any more)");
        shardSql(reply, "UPDATE %s.comment SET state = 'approved' WHERE id = " + reply);
        assertThat(courier.deliver(event)).isEqualTo(org.parley.outbox.Courier.Delivered.SENT);
        assertThat(sent).hasSize(1);
    }

    private static NotificationCourier courier(java.util.List<String> sent) {
        var databases = server.parley().databases();
        var keys = org.parley.web.KeyRing.load("", databases.main());
        return new NotificationCourier(databases, new org.parley.account.AccountRepository(databases.main()),
                new Subscribers(databases.main()), new SubscriberTokens(keys, java.time.Clock.systemUTC()),
                new org.parley.mail.MailTemplates(URI.create(TestServer.ORIGIN)), new org.parley.outbox.Courier() {
                    @Override
                    public String kind() {
                        return "mail";
                    }

                    @Override
                    public Delivered deliver(String payload) {
                        sent.add(payload);
                        return Delivered.SENT;
                    }
                });
    }

    private static void shardSql(long id, String sql) {
        int shard = org.parley.data.Ids.shardOf(id);
        server.parley().databases().write(shard).execute(sql.formatted(org.parley.data.ShardRouter.schemaOf(shard)));
    }

    @Test
    void aGuestConfirmsTheAddressOnceBeforeAnyReplyIsMailed() throws Exception {
        WebClient guest = server.client();
        WebClient member = member("eve@example.com", "Eve Member");
        String thread = TestServer.embedPath("notify-guest");
        long first = guestPost(guest, thread, "Guest's first", "Gus Guest", "Gus@Example.com");

        MimeMessage confirm = mail.awaitMail("Gus@Example.com", 1, ARRIVAL);
        assertThat(confirm.getSubject()).isEqualTo("Confirm that you want replies by mail");
        assertThat(MailServer.text(confirm)).contains("Hello Gus Guest,", "/notifications/confirm?token=");

        long early = post(member, thread, "Eve answers before the guest confirmed", first, false);
        await().atMost(ARRIVAL).until(() -> outcome(early) != null);
        assertThat(outcome(early)).isEqualTo("dropped: the author's address is not confirmed");

        long second = guestPost(guest, thread, "Guest's second", "Gus Guest", "gus@example.com");
        await().atMost(ARRIVAL).until(() -> confirmationOutcome(second) != null);
        assertThat(confirmationOutcome(second)).isEqualTo("dropped: a confirmation went to this address in the last day");

        var confirmed = server.client().get(MailServer.linkPath(confirm));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.body()).contains("Replies to your comments will now be mailed to gus@example.com",
                "value=\"immediately\" checked");
        // the page offers the digest choice; a guest has no account page for it
        Matcher choice = Pattern.compile("action=\"(/notifications/digest\\?token=[^\"]+)\"").matcher(confirmed.body());
        assertThat(choice.find()).isTrue();
        var daily = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.base()
                        + choice.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("digest=daily")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(daily.body()).contains("Replies reach gus@example.com in one mail a day at most.");
        server.mainSql("UPDATE main.subscriber SET digest = 'immediately' WHERE email = 'gus@example.com'");

        long heard = post(member, thread, "Eve answers after", first, false);
        MimeMessage reply = mail.awaitMail("Gus@Example.com", "Eve Member replied to your comment", ARRIVAL);
        assertThat(MailServer.header(reply, "Message-ID")).isEqualTo("<comment-" + heard + "@localhost>");
    }

    @Test
    void aReplyHeldForModerationIsMailedWhenAModeratorApprovesIt() throws Exception {
        WebClient hal = member("hal@example.com", "Hal Held");
        String thread = TestServer.embedPath("notify-held");
        long parent = post(hal, thread, "Asking, on a moderated site", null, true);
        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        long reply;
        try {
            WebClient guest = server.client();
            guest.get(thread);
            reply = posted(guest.post(thread, Map.of("body", "A held answer", "name", "Gia Guest",
                    "parent", Long.toString(parent))));
        } finally {
            server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
        }
        assertThat(outcome(reply)).as("nothing while it waits").isNull();

        var moderator = new org.parley.account.Account(1, "admin@localhost", "Admin", true);
        new org.parley.moderation.ModerationService(server.parley().databases(),
                new org.parley.discussion.ThreadVersions(server.parley().cache()))
                .act(moderator, java.util.Set.of(server.site().id()), reply,
                        org.parley.moderation.ModerationService.Action.APPROVE,
                        org.parley.discussion.CommentView.State.PENDING);
        MimeMessage message = mail.awaitMail("hal@example.com", "Gia Guest replied to your comment", ARRIVAL);
    }

    @Test
    void aNotificationCostsTheReplyOneStatement() {
        WebClient fay = member("fay@example.com", "Fay Asks");
        WebClient gil = member("gil@example.com", "Gil Answers");
        String thread = TestServer.embedPath("notify-cost");
        long quiet = post(fay, thread, "No replies by mail, please", null, false);
        long asking = post(fay, thread, "Replies by mail, please", null, true);
        post(gil, thread, "warm-up reply", quiet, false);

        int without = sqlOf(gil, thread, "a reply nobody is mailed", quiet);
        int with = sqlOf(gil, thread, "a reply its parent's author is mailed", asking);
        assertThat(with).as("the outbox row, and nothing else").isEqualTo(without + 1);
    }

    @Test
    void aBrokenOrForgedLinkIsRefusedPlainly() {
        WebClient browser = server.client();
        var unsubscribe = browser.get("/unsubscribe?token=u.YWRhQGV4YW1wbGUuY29t.abcd.0000000000000000000000000000000000000000000");
        assertThat(unsubscribe.statusCode()).isEqualTo(400);
        assertThat(unsubscribe.body()).contains("This unsubscribe link is not complete");
        assertThat(browser.get("/notifications/confirm").statusCode()).isEqualTo(400);
    }

    // ---- helpers ----

    private static WebClient member(String email, String name) {
        WebClient client = server.signedUp(email, name);
        server.mainSql("UPDATE main.account SET email_verified_at = now() WHERE email = '" + email + "'");
        return client;
    }

    private static long post(WebClient client, String thread, String body, Long parent, boolean notify) {
        client.get(thread);
        Map<String, String> form = new HashMap<>(Map.of("body", body));
        if (parent != null) {
            form.put("parent", Long.toString(parent));
        }
        if (notify) {
            form.put("notify", "on");
        }
        return posted(client.post(thread, form));
    }

    private static long guestPost(WebClient client, String thread, String body, String name, String email) {
        client.get(thread);
        return posted(client.post(thread, Map.of("body", body, "name", name, "email", email, "notify", "on")));
    }

    private static int sqlOf(WebClient client, String thread, String body, long parent) {
        client.get(thread);
        var response = client.post(thread, Map.of("body", body, "parent", Long.toString(parent)));
        assertThat(response.statusCode()).as(response.body()).isIn(302, 303);
        return Integer.parseInt(response.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }

    private static long posted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(302, 303);
        Matcher m = POSTED.matcher(response.headers().firstValue("Location").orElseThrow());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** "state" or "state: why" of the reply notification about {@code reply}; null while none is done. */
    private static String outcome(long reply) {
        return done("reply", "reply", reply);
    }

    private static String confirmationOutcome(long comment) {
        return done("confirm", "comment", comment);
    }

    private static String done(String type, String field, long id) {
        int shard = org.parley.data.Ids.shardOf(id);
        var row = server.parley().databases().write(shard).fetchOne("SELECT state, last_error FROM "
                + org.parley.data.ShardRouter.schemaOf(shard) + ".outbox WHERE payload->>'type' = ? AND (payload->>?)::bigint = ?"
                + " AND state <> 'queued'", type, field, id);
        if (row == null) {
            return null;
        }
        String state = row.get(0, String.class);
        String why = row.get(1, String.class);
        return why == null ? state : state + ": " + why;
    }
}
