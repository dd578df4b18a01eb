package org.parley.edge;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.discussion.CommentThread;
import org.parley.moderation.Moderators;
import org.parley.testing.FreePort;
import org.parley.testing.ProxyProcess;
import org.parley.testing.Http;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Parley behind the real varnishd running the shipped varnish/parley.vcl, with PARLEY_EDGE=varnish: guests' thread
 * pages are served from Varnish, and a comment reaches them because Parley bans the thread's key — proved against
 * a second Varnish in front of the same Parley that Parley does not purge, where the page stays as it was for
 * longer than Parley's own s-maxage. That second one runs a VCL variant whose ACL admits nobody on this machine,
 * which is how the ACL's refusal is tested (every request here comes from 127.0.0.1).
 */
class VarnishEdgeIT {
    @TempDir
    static Path dir;
    private static TestServer server;
    /** The Varnish Parley purges. */
    private static ProxyProcess purged;
    /** A Varnish Parley does not purge (the control), whose ACL admits nobody on this machine. */
    private static ProxyProcess refusing;

    @BeforeAll
    static void start() {
        int varnishPort = FreePort.find();
        server = TestServer.start(Map.of(
                "PARLEY_EDGE", "varnish",
                "PARLEY_EDGE_URL", "http://127.0.0.1:" + varnishPort,
                "PARLEY_OUTBOX_POLL_MS", "100"));
        int parleyPort = URI.create(server.base()).getPort();
        purged = ProxyProcess.varnish(dir.resolve("purged"), varnishPort, parleyPort, vcl -> vcl);
        refusing = ProxyProcess.varnish(dir.resolve("refusing"), FreePort.find(), parleyPort, vcl -> {
            String acl = "    \"127.0.0.1\";\n    \"::1\";\n";
            assertThat(vcl).as("the shipped ACL").contains(acl);
            return vcl.replace(acl, "    \"192.0.2.1\";\n"); // TEST-NET-1: nobody here
        });
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable running : new AutoCloseable[]{refusing, purged, server}) {
            if (running != null) {
                try {
                    running.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void guestsPagesCarryTheThreadsSurrogateKeyAndALongEdgeLifetime() {
        CommentThread thread = server.thread("edge-headers");
        var direct = Http.get(server.base() + TestServer.standalonePath("edge-headers"));
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.headers().firstValue("Surrogate-Key"))
                .hasValue("parley-t-" + thread.id() + " parley-s-" + thread.siteId());
        assertThat(direct.headers().firstValue("Cache-Tag"))
                .hasValue("parley-t-" + thread.id() + ",parley-s-" + thread.siteId());
        assertThat(direct.headers().firstValue("Surrogate-Control")).hasValue("max-age=86400");
        // what nginx and browsers obey stays as without an edge: they are never purged
        assertThat(direct.headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=0, s-maxage=10, stale-while-revalidate=30");

        var embed = Http.get(server.base() + TestServer.embedPath("edge-headers"));
        assertThat(embed.statusCode()).isEqualTo(200);
        assertThat(embed.headers().firstValue("Surrogate-Key"))
                .hasValue("parley-t-" + thread.id() + " parley-s-" + thread.siteId());

        var throughVarnish = Http.get(purged.base() + TestServer.standalonePath("edge-headers"));
        assertThat(throughVarnish.statusCode()).isEqualTo(200);
        assertThat(throughVarnish.headers().firstValue("Surrogate-Key")).as("kept by Varnish, not shown").isEmpty();
        assertThat(throughVarnish.headers().firstValue("Surrogate-Control")).isEmpty();
    }

    @Test
    void aCommentReachesGuestsThroughVarnishBecauseParleyPurgesTheThread() throws Exception {
        String key = "edge-purge";
        String path = TestServer.standalonePath(key);
        server.thread(key);
        for (ProxyProcess varnish : new ProxyProcess[]{purged, refusing}) {
            assertThat(Http.get(varnish.base() + path).headers().firstValue("X-Cache")).hasValue("MISS");
            var second = Http.get(varnish.base() + path);
            assertThat(second.headers().firstValue("X-Cache")).as("the second guest is served by Varnish")
                    .hasValue("HIT");
            assertThat(second.body()).doesNotContain("Fresh through Varnish");
        }
        long cachedAt = System.nanoTime();

        WebClient writer = server.client();
        writer.get(path);
        assertThat(writer.post(path, Map.of("name", "Vera", "body", "Fresh through Varnish")).statusCode())
                .isEqualTo(302);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(Http.get(purged.base() + path).body()).contains("Fresh through Varnish"));

        // the control: the same page in the Varnish that Parley does not purge, asked again once Parley's own
        // s-maxage (10 s) is over — still the copy from before the comment, so the purge is what refreshed the other
        long waited = Duration.ofNanos(System.nanoTime() - cachedAt).toMillis();
        Thread.sleep(Math.max(0, Duration.ofSeconds(12).toMillis() - waited));
        for (int i = 0; i < 2; i++) {
            var stale = Http.get(refusing.base() + path);
            assertThat(stale.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(stale.body()).doesNotContain("Fresh through Varnish");
        }
        assertThat(refusing.output()).as("varnishd's log").doesNotContain("Panic");
    }

    /**
     * A moderator's removal is another action than a post, through the console and moderation's own service: it
     * reaches Varnish all the same, because the purge is queued where every change bumps the thread's version.
     */
    @Test
    void aModeratorsRemovalReachesGuestsThroughVarnishToo() {
        String key = "edge-moderated";
        String path = TestServer.standalonePath(key);
        long commentId = server.post(server.thread(key), null, "Soon removed by a moderator");
        WebClient owner = server.signedUp("edge-owner@example.com", "Edge Owner");
        var main = server.parley().databases().main();
        long ownerId = main.fetchSingle("SELECT id FROM main.account WHERE email = 'edge-owner@example.com'")
                .get(0, Long.class);
        new Moderators(main).appoint(server.site().id(), ownerId, Moderators.Role.OWNER);

        Http.get(purged.base() + path);
        var cached = Http.get(purged.base() + path);
        assertThat(cached.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(cached.body()).contains("Soon removed by a moderator");

        owner.get(path); // a page with a form: its token is the owner's (the empty queue has none)
        var removed = owner.post("/admin/comments/" + commentId + "/reject", Map.of("expected", "approved"));
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(302);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(Http.get(purged.base() + path).body()).doesNotContain("Soon removed by a moderator"));
        // within Varnish's day-long lifetime (see the control above): only the purge can have done it
    }

    @Test
    void banFromOutsideTheAclIsRefusedAndOnlyParleysKeysAreBanned() {
        assertThat(ban(refusing, "parley-t-1").statusCode()).isEqualTo(403);
        assertThat(ban(purged, "parley-t-1").statusCode()).isEqualTo(200);
        var regex = ban(purged, ".*");
        assertThat(regex.statusCode()).isEqualTo(400);
        assertThat(regex.body()).contains("X-Purge-Key must be parley-t-ID or parley-s-ID");
    }

    @Test
    void postsAndTheVisitorsOwnOverlayAreNeverCached() {
        String path = TestServer.standalonePath("edge-pass");
        server.thread("edge-pass");
        Http.get(purged.base() + path + "/me");
        assertThat(Http.get(purged.base() + path + "/me").headers().firstValue("X-Cache")).hasValue("MISS");
        // a guest with a Parley cookie (here: one who has written) goes straight to Parley
        Http.get(purged.base() + path, "Cookie", "parley_wal=1");
        assertThat(Http.get(purged.base() + path, "Cookie", "parley_wal=1").headers().firstValue("X-Cache"))
                .hasValue("MISS");
    }

    @Test
    void browsersAskingForOneLanguageShareOneCopyInIt() {
        String path = TestServer.standalonePath("edge-languages");
        server.thread("edge-languages");
        var first = Http.get(purged.base() + path, "Accept-Language", "es-MX, es;q=0.9, en;q=0.5");
        assertThat(first.body()).contains("<html lang=\"es\"");
        var other = Http.get(purged.base() + path, "Accept-Language", "es");
        assertThat(other.headers().firstValue("X-Cache")).as("another browser's Spanish").hasValue("HIT");
        assertThat(other.body()).contains("<html lang=\"es\"");

        var german = Http.get(purged.base() + path, "Accept-Language", "pt-BR, DE;q=0.8");
        assertThat(german.headers().firstValue("X-Cache")).as("a language of its own").hasValue("MISS");
        assertThat(german.body()).contains("<html lang=\"de\"");

        Http.get(purged.base() + path);
        var none = Http.get(purged.base() + path, "Accept-Language", "pt-BR, ja");
        assertThat(none.headers().firstValue("X-Cache")).as("no language Parley has: the site's default, shared")
                .hasValue("HIT");
        assertThat(none.body()).contains("<html lang=\"en\"");
    }

    private static HttpResponse<String> ban(ProxyProcess varnish, String key) {
        return Http.send(HttpRequest.newBuilder(URI.create(varnish.base() + "/"))
                .header("X-Purge-Key", key)
                .method("BAN", HttpRequest.BodyPublishers.noBody())
                .build());
    }
}
