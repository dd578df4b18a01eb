package org.parley.webhook;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.api.ApiContract;
import org.parley.moderation.Moderators;
import org.parley.site.SiteRepository;
import org.parley.testing.OutboxPace;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;
import org.parley.testing.WebhookReceiver;
import org.parley.testing.WebhookReceiver.Request;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks against real receiver processes, set up through the console as a site owner would and fed by comments
 * posted over HTTP: every delivery is signed as docs/webhooks.md says (checked here with the docs' recipe, not
 * Parley's code); a receiver answering 500 three times then 200 gets the event exactly once more; a receiver
 * down for a minute (at production's retry pace) loses nothing once it is back. The outbox's own backoff runs, at
 * the suite's pace ({@link OutboxPace}: first retry after 1 s, outages a fifth as long), so the same retries happen
 * in a fifth of production's time.
 */
class WebhooksIT {
    private static final Pattern SECRET = Pattern.compile("(whsec_[A-Za-z0-9_-]+)");
    private static final Pattern HOOK_ID = Pattern.compile("/webhooks/(\\d+)");

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_OUTBOX_POLL_MS", "100",
            "PARLEY_WEBHOOKS_TO_PRIVATE_ADDRESSES", "true", OutboxPace.SETTING, OutboxPace.VALUE));
    /** "Down for a minute" at production's retry pace. */
    private static final Duration OUTAGE = OutboxPace.scaled(Duration.ofMinutes(1));
    private static WebClient owner;
    private static long otherSite;
    private static long eventsSite;

    @BeforeAll
    static void anOwner() {
        owner = server.signedUp("owner@example.com", "Owner");
        var main = server.parley().databases().main();
        long ownerId = main.fetchSingle("SELECT id FROM main.account WHERE email = 'owner@example.com'")
                .get(0, Long.class);
        otherSite = new SiteRepository(main).create("other", "Other site", List.of(TestServer.ORIGIN));
        eventsSite = new SiteRepository(main).create("events", "Events site", List.of(TestServer.ORIGIN));
        for (long site : List.of(server.site().id(), otherSite, eventsSite)) {
            new Moderators(main).appoint(site, ownerId, Moderators.Role.OWNER);
        }
    }

    @Test
    void deliveriesAreSignedRetriedUntilAcceptedAndNothingIsLostWhileTheReceiverIsDown() throws Exception {
        try (WebhookReceiver flaky = WebhookReceiver.start(3); WebhookReceiver down = WebhookReceiver.start(0)) {
            Hook flakyHook = addHook(server.site().id(), flaky.url("/flaky"), "comment.created");
            Hook downHook = addHook(otherSite, down.url("/down"), "comment.created");

            down.kill();
            Instant downSince = Instant.now();
            long flakyComment = postAsGuest("default", "webhooks-flaky", "Tell the flaky receiver");
            List<Long> whileDown = List.of(postAsGuest("other", "webhooks-down", "First while down"),
                    postAsGuest("other", "webhooks-down", "Second while down"),
                    postAsGuest("other", "webhooks-down", "Third while down"));

            // while it fails, the hook's log in the console says what the receiver answered
            String logPath = "/admin/sites/" + server.site().id() + "/webhooks/" + flakyHook.id();
            awaitPage(logPath, "HTTP 500: receiver failing on purpose", Duration.ofSeconds(30));
            // 500, 500, 500 (1 + 2 + 4 s of backoff at the suite's pace, 5 + 10 + 20 s at production's; ± 20 %), then 200
            List<Request> seen = await(flaky, r -> r.stream().anyMatch(x -> x.answered() == 200), Duration.ofSeconds(90));
            assertThat(seen).extracting(Request::answered).containsExactly(500, 500, 500, 200);
            assertThat(seen).extracting(Request::delivery).as("the same event each time").containsOnly(seen.get(0).delivery());
            for (Request r : seen) {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.event()).isEqualTo("comment.created");
                assertThat(signedBy(flakyHook.secret(), r)).as("signature of " + r.signature()).isTrue();
                Map<String, Object> body = JSONObjectUtils.parse(r.body());
                assertThat(body).containsEntry("type", "comment.created").containsEntry("site", "default")
                        .containsEntry("id", r.delivery());
                assertThat(JSONObjectUtils.getJSONObject(body, "comment")).containsEntry("id", Long.toString(flakyComment))
                        .containsEntry("state", "approved").containsEntry("html", "<p>Tell the flaky receiver</p>");
                assertThat(JSONObjectUtils.getJSONObject(body, "thread")).containsEntry("key", "webhooks-flaky");
            }
            assertThat(signedBy("another secret", seen.get(0))).as("a wrong secret does not verify").isFalse();
            awaitPage(logPath, "HTTP 200", Duration.ofSeconds(10));
            assertThat(owner.get(logPath).body()).contains("comment.created", "state-sent", "<td>4</td>");

            // down for the outage from before the first comment; then back on the same address
            long remaining = OUTAGE.minus(Duration.between(downSince, Instant.now())).toMillis();
            Thread.sleep(Math.max(0, remaining));
            assertThat(down.requests()).isEmpty();
            down.startAgain();
            List<Request> arrived = await(down, r -> r.stream().filter(x -> x.answered() == 200).count() >= 3,
                    Duration.ofSeconds(150));
            assertThat(arrived).hasSize(3);
            assertThat(arrived).extracting(Request::delivery).doesNotHaveDuplicates();
            List<String> delivered = arrived.stream().map(r -> commentIdOf(r.body())).toList();
            assertThat(delivered).containsExactlyInAnyOrderElementsOf(whileDown.stream().map(String::valueOf).toList());
            arrived.forEach(r -> assertThat(signedBy(downHook.secret(), r)).isTrue());

            Thread.sleep(3_000); // nothing comes twice
            assertThat(flaky.requests()).hasSize(4);
            assertThat(down.requests()).hasSize(3);
            assertThat(server.parley().databases().main().fetchSingle("SELECT count(*) FROM main.outbox"
                    + " WHERE kind = 'webhook' AND state = 'sent' AND payload ->> 'hook' IN (?, ?)",
                    Long.toString(flakyHook.id()), Long.toString(downHook.id())).get(0, Long.class))
                    .as("one delivery per event and hook, each sent").isEqualTo(4);
        }
    }

    @Test
    void eachEventReachesTheHooksThatWantItAndADeletedHookNothing() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(0)) {
            Hook all = addHook(eventsSite, receiver.url("/all"), "comment.created", "comment.approved",
                    "comment.rejected", "comment.deleted", "comment.flagged", "thread.created");
            Hook created = addHook(eventsSite, receiver.url("/created"), "comment.created");
            String key = "webhooks-events";
            long approved = postAsGuest("events", key, "Public from the start"); // creates the thread too
            server.mainSql("UPDATE main.site SET premoderation = true WHERE id = " + eventsSite);
            long toApprove = postAsGuest("events", key, "Held, then approved");
            long toReject = postAsGuest("events", key, "Held, then rejected");
            moderate(toApprove, "approve", "pending");
            moderate(toReject, "reject", "pending");
            WebClient reader = server.signedUp("reader@example.com", "Reader");
            reader.get(eventsPath(key));
            assertThat(reader.post("/c/" + approved + "/flag", Map.of("reason", "abuse")).statusCode()).isIn(200, 302, 303);
            moderate(approved, "reject", "approved");

            await(receiver, r -> r.size() >= 11, Duration.ofSeconds(30));
            Thread.sleep(1_000); // and nothing more
            List<Request> got = receiver.requests();
            assertThat(got).allMatch(r -> r.answered() == 200);
            assertThat(got.stream().filter(r -> signedBy(all.secret(), r)).map(r -> r.event() + " " + commentOrThread(r)))
                    .containsExactlyInAnyOrder(
                            "thread.created " + key,
                            "comment.created " + approved + " approved",
                            "comment.created " + toApprove + " pending",
                            "comment.created " + toReject + " pending",
                            "comment.approved " + toApprove + " approved",
                            "comment.rejected " + toReject + " deleted",
                            "comment.flagged " + approved + " approved",
                            "comment.deleted " + approved + " deleted");
            assertThat(got.stream().filter(r -> signedBy(created.secret(), r)).map(Request::event))
                    .containsExactly("comment.created", "comment.created", "comment.created");

            // the test button, and a deleted hook hears nothing more
            String createdPage = "/admin/sites/" + eventsSite + "/webhooks/" + created.id();
            owner.get(createdPage);
            assertThat(owner.post(createdPage + "/ping", Map.of()).statusCode()).isEqualTo(302);
            String allPage = "/admin/sites/" + eventsSite + "/webhooks/" + all.id();
            owner.get(allPage);
            assertThat(owner.post(allPage + "/delete", Map.of()).statusCode()).isEqualTo(302);
            server.mainSql("UPDATE main.site SET premoderation = false WHERE id = " + eventsSite);
            long after = postAsGuest("events", key, "After the deletion");
            List<Request> later = await(receiver, r -> r.size() >= got.size() + 2, Duration.ofSeconds(30));
            Thread.sleep(1_000);
            List<Request> added = receiver.requests().subList(got.size(), receiver.requests().size());
            assertThat(added).allMatch(r -> signedBy(created.secret(), r));
            assertThat(added.stream().map(r -> r.event() + " " + commentOrThread(r)))
                    .containsExactlyInAnyOrder("ping -", "comment.created " + after + " approved");
            assertThat(later).isNotEmpty();
        }
    }

    @Test
    void aBadAddressOrNoEventIsRefusedBesideItsFieldAndNothingIsSaved() {
        String path = "/admin/sites/" + eventsSite + "/webhooks";
        owner.get(path);
        long before = hooks();
        HttpResponse<String> noScheme = owner.post(path, List.of(Map.entry("url", "example.com/hook"),
                Map.entry("events", "comment.created")));
        assertThat(noScheme.statusCode()).isEqualTo(400);
        assertThat(noScheme.body()).contains("id=\"url-error\"", "must start with https://", "value=\"example.com/hook\"");
        HttpResponse<String> noEvents = owner.post(path, List.of(Map.entry("url", "https://example.com/hook")));
        assertThat(noEvents.statusCode()).isEqualTo(400);
        assertThat(noEvents.body()).contains("id=\"events-error\"", "Choose at least one event");
        HttpResponse<String> credentials = owner.post(path, List.of(Map.entry("url", "https://me:pw@example.com/"),
                Map.entry("events", "comment.created")));
        assertThat(credentials.body()).contains("Leave the user name and password out");
        assertThat(hooks()).isEqualTo(before);
    }

    // ---- helpers ----

    static long hooks() {
        return server.parley().databases().main().fetchSingle("SELECT count(*) FROM main.webhook").get(0, Long.class);
    }

    static String eventsPath(String key) {
        return "/embed/events?key=" + enc(key) + "&url=" + enc(TestServer.ORIGIN + "/" + key);
    }

    static void moderate(long commentId, String action, String expected) {
        owner.get("/admin/queue");
        HttpResponse<String> done = owner.post("/admin/comments/" + commentId + "/" + action,
                Map.of("expected", expected));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
    }

    /** "ID STATE" of the body's comment, the thread's key for thread.created, "-" for a ping. */
    static String commentOrThread(Request r) {
        try {
            Map<String, Object> body = JSONObjectUtils.parse(r.body());
            if (body.get("comment") instanceof Map<?, ?> comment) {
                return comment.get("id") + " " + comment.get("state");
            }
            if (body.get("thread") instanceof Map<?, ?> thread) {
                return String.valueOf(thread.get("key"));
            }
            return "-";
        } catch (java.text.ParseException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    record Hook(long id, String secret) {
    }

    /** Adds a hook through the console and reads its id and secret from its page. */
    static Hook addHook(long siteId, String url, String... events) {
        owner.get("/admin/sites/" + siteId + "/webhooks");
        List<Map.Entry<String, String>> form = new java.util.ArrayList<>(List.of(Map.entry("url", url)));
        for (String e : events) {
            form.add(Map.entry("events", e));
        }
        HttpResponse<String> added = owner.post("/admin/sites/" + siteId + "/webhooks", form);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(302);
        String location = added.headers().firstValue("Location").orElseThrow();
        Matcher id = HOOK_ID.matcher(location);
        assertThat(id.find()).as(location).isTrue();
        Matcher secret = SECRET.matcher(owner.follow(added).body());
        assertThat(secret.find()).as("the hook's page shows its secret").isTrue();
        return new Hook(Long.parseLong(id.group(1)), secret.group(1));
    }

    static long postAsGuest(String site, String key, String text) {
        WebClient guest = server.client();
        String page = "/embed/" + site + "?key=" + enc(key) + "&url=" + enc(TestServer.ORIGIN + "/" + key);
        guest.get(page);
        HttpResponse<String> posted = guest.post(page, Map.of("name", "Gus", "body", text));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        Matcher id = Pattern.compile("#comment-(\\d+)").matcher(posted.headers().firstValue("Location").orElseThrow());
        assertThat(id.find()).isTrue();
        return Long.parseLong(id.group(1));
    }

    /** The docs' recipe: HMAC-SHA256 over "t.body" with the secret, hex, compared in constant time; t recent. */
    static boolean signedBy(String secret, Request r) {
        Matcher m = Pattern.compile("^t=(\\d+),v1=([0-9a-f]{64})$").matcher(r.signature());
        if (!m.find()) {
            return false;
        }
        long t = Long.parseLong(m.group(1));
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            expected = mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        return MessageDigest.isEqual(expected, HexFormat.of().parseHex(m.group(2)))
                && Math.abs(Instant.now().getEpochSecond() - t) < 300;
    }

    static String commentIdOf(String body) {
        try {
            return String.valueOf(JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(body), "comment").get("id"));
        } catch (java.text.ParseException e) {
            throw new AssertionError(body, e);
        }
    }

    /** Waits for the receiver's requests to satisfy {@code done}; each body is held to the OpenAPI document. */
    static List<Request> await(WebhookReceiver receiver, Predicate<List<Request>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Request> requests = receiver.requests();
            if (done.test(requests)) {
                requests.forEach(r -> ApiContract.checkWebhook(r.event(), r.body()));
                return requests;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the receiver did not get what was expected within " + timeout + ": "
                + receiver.requests());
    }

    static void awaitPage(String path, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = owner.get(path).body();
            if (body.contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not show '" + text + "' within " + timeout + ":\n" + body);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
