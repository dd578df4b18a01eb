package org.parley.notify;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.mail.MailTemplates;
import org.parley.testing.MailServer;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;
import org.parley.web.KeyRing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replies as an hourly digest (one mail listing them, not one each; the next only after the hour), and following a
 * thread (a mail per new top-level comment by someone else, stopped by the one-click link), with a real SMTP
 * server; a top-level post to a thread nobody follows costs no statement more.
 */
class DigestAndFollowIT {
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
    void anHourlyDigestGathersRepliesIntoOneMailAndWaitsForTheNextHour() throws Exception {
        WebClient ada = member("digest@example.com", "Di Gest");
        WebClient bo = member("digest-replier@example.com", "Re Plier");
        ada.get("/account");
        var saved = ada.post("/account/notifications", Map.of("replies", "on", "digest", "hourly"));
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(ada.follow(saved).body()).contains("value=\"hourly\" checked");

        String thread = TestServer.embedPath("digest-thread");
        long parent = post(ada, thread, "Tell me in a digest", null, Map.of("notify", "on"));
        long first = post(bo, thread, "First reply", parent, Map.of());
        long second = post(bo, thread, "Second reply", parent, Map.of());
        await().atMost(ARRIVAL).until(() -> "batched".equals(state("reply", first))
                && "batched".equals(state("reply", second)));
        assertThat(notifications("digest@example.com")).isEmpty();

        Digests digests = digests();
        assertThat(digests.runOnce()).isEqualTo(1);
        MimeMessage digest = awaitNotification("digest@example.com", 1);
        assertThat(digest.getSubject()).isEqualTo("2 replies to your comments");
        assertThat(MailServer.text(digest)).contains("First reply", "Second reply", "/c/" + first, "/c/" + second);
        assertThat(MailServer.header(digest, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");

        long third = post(bo, thread, "Third reply", parent, Map.of());
        await().atMost(ARRIVAL).until(() -> "batched".equals(state("reply", third)));
        assertThat(digests.runOnce()).as("within the hour").isZero();
        server.mainSql("UPDATE main.subscriber SET last_digest_at = now() - interval '61 minutes'"
                + " WHERE email = 'digest@example.com'");
        assertThat(digests.runOnce()).isEqualTo(1);
        MimeMessage next = awaitNotification("digest@example.com", 2);
        assertThat(next.getSubject()).isEqualTo("1 reply to your comments");
        assertThat(MailServer.text(next)).contains("Third reply").doesNotContain("First reply");
    }

    @Test
    void aFollowerIsMailedNewTopLevelCommentsOfOthersUntilTheyUnfollow() throws Exception {
        WebClient fan = member("fan@example.com", "Fa N");
        WebClient writer = member("writer@example.com", "Wri Ter");
        String thread = TestServer.embedPath("followed-thread");
        post(fan, thread, "I follow this", null, Map.of("follow", "on"));
        long others = post(writer, thread, "Something new from someone else", null, Map.of());
        post(fan, thread, "My own second comment", null, Map.of());

        MimeMessage message = awaitNotification("fan@example.com", 1);
        assertThat(message.getSubject()).isEqualTo("New comment on \u201cfollowed-thread\u201d");
        assertThat(MailServer.text(message)).contains("Wri Ter wrote", "Something new from someone else",
                "/c/" + others);
        String unfollow = MailServer.header(message, "List-Unsubscribe");
        assertThat(unfollow).contains("/unfollow?token=");

        String url = server.base() + unfollow.substring("<http://localhost:1234".length(), unfollow.length() - 1);
        HttpResponse<String> oneClick = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(oneClick.statusCode()).isEqualTo(200);
        assertThat(oneClick.body()).contains("You no longer follow this discussion");

        long after = post(writer, thread, "Nobody follows now", null, Map.of());
        long unfollowedCost = sql(writer, thread, "A post to a thread nobody follows any more");
        sql(writer, TestServer.embedPath("never-followed"), "the thread's first comment");
        long neverFollowedCost = sql(writer, TestServer.embedPath("never-followed"), "its second");
        assertThat(state("thread", after)).as("no follower: no notification row").isNull();
        assertThat(unfollowedCost).as("what following costs a post when nobody follows").isEqualTo(neverFollowedCost);
        Thread.sleep(1_000);
        assertThat(notifications("fan@example.com")).hasSize(1);
    }

    // ---- helpers ----

    /** The mails to {@code address} but the address confirmation every sign-up gets. */
    private static java.util.List<MimeMessage> notifications(String address) {
        return mail.to(address).stream().filter(m -> {
            try {
                return !m.getSubject().equals("Confirm your email address");
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static MimeMessage awaitNotification(String address, int count) {
        await().atMost(ARRIVAL).until(() -> notifications(address).size() >= count);
        return notifications(address).get(count - 1);
    }

    private static Digests digests() {
        var databases = server.parley().databases();
        return new Digests(databases, new Subscribers(databases.main()), new SubscriberTokens(KeyRing.load("", databases.main()), Clock.systemUTC()),
                new MailTemplates(URI.create(TestServer.ORIGIN)));
    }

    private static WebClient member(String email, String name) {
        WebClient client = server.signedUp(email, name);
        server.mainSql("UPDATE main.account SET email_verified_at = now() WHERE email = '" + email + "'");
        return client;
    }

    private static long post(WebClient client, String thread, String body, Long parent, Map<String, String> extra) {
        client.get(thread);
        Map<String, String> form = new HashMap<>(extra);
        form.put("body", body);
        if (parent != null) {
            form.put("parent", Long.toString(parent));
        }
        var response = client.post(thread, form);
        assertThat(response.statusCode()).as(response.body()).isIn(302, 303);
        Matcher m = POSTED.matcher(response.headers().firstValue("Location").orElseThrow());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long sql(WebClient client, String thread, String body) {
        client.get(thread);
        var response = client.post(thread, Map.of("body", body));
        return Long.parseLong(response.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }

    /** The state of the notification row of {@code type} about comment {@code id}; null when there is none. */
    private static String state(String type, long id) {
        int shard = org.parley.data.Ids.shardOf(id);
        String field = type.equals("reply") ? "reply" : "comment";
        var row = server.parley().databases().write(shard).fetchOne("SELECT state FROM "
                + org.parley.data.ShardRouter.schemaOf(shard) + ".outbox WHERE payload->>'type' = ?"
                + " AND (payload->>?)::bigint = ?", type, field, id);
        return row == null ? null : row.get(0, String.class);
    }
}
