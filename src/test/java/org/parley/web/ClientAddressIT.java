package org.parley.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.testing.FreePort;
import org.parley.testing.ProxyProcess;
import org.parley.testing.RawHttp;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Posting works whichever way a visitor's connection arrives: a browser reaches {@code localhost} over IPv6
 * ({@code ::1}) first, and Jetty reports such a peer as {@code [0:0:0:0:0:0:0:1]}, a spelling PostgreSQL's
 * {@code inet} refuses (it was a 500 on every post). The address stored with the comment, matched against bans and
 * counted by rate limits is the one canonical spelling.
 */
class ClientAddressIT {
    private static final Pattern COMMENT_ID = Pattern.compile("#comment-(\\d+)");
    private static TestServer server;

    @BeforeAll
    static void start() {
        // the default binding (every address, IPv6 and IPv4): what a browser's localhost reaches over ::1
        server = TestServer.start(Map.of("PARLEY_HOST", "0.0.0.0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aGuestPostsOverIpv6AndTheCommentKeepsTheCanonicalAddress() {
        long id = guestPosts(new WebClient("http://[::1]:" + server.parley().port()), "ipv6-guest");
        assertThat(storedIp(id)).isEqualTo("::1");
    }

    @Test
    void aGuestPostsOverIpv4() {
        long id = guestPosts(server.client(), "ipv4-guest");
        assertThat(storedIp(id)).isEqualTo("127.0.0.1");
    }

    @Test
    void aMemberPostsOverIpv6() {
        var member = new WebClient("http://[::1]:" + server.parley().port());
        member.get("/signup");
        var signedUp = member.post("/signup", Map.of("email", "six@example.com", "name", "Six",
                "password", TestServer.PASSWORD));
        assertThat(signedUp.statusCode()).as(signedUp.body()).isEqualTo(302);
        String path = TestServer.standalonePath("ipv6-member");
        server.thread("ipv6-member");
        member.get(path);
        var posted = member.post(path, Map.of("body", "Signed in over IPv6"));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        assertThat(member.follow(posted).body()).contains("Signed in over IPv6");
        assertThat(storedIp(idOf(posted))).isEqualTo("::1");
    }

    @Test
    void anIpv6BanStopsTheVisitorItNames() {
        server.mainSql("INSERT INTO main.ban (site_id, kind, value, reason, created_by) "
                + "SELECT s.id, 'ip', '::1/128', 'test', (SELECT min(id) FROM main.account) "
                + "FROM main.site s WHERE s.name = 'default'");
        try {
            var guest = new WebClient("http://[::1]:" + server.parley().port());
            String path = TestServer.standalonePath("ipv6-banned");
            server.thread("ipv6-banned");
            guest.get(path);
            var refused = guest.post(path, Map.of("body", "From a banned address", "name", "Guest"));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        } finally {
            server.mainSql("DELETE FROM main.ban WHERE value = '::1/128'");
        }
    }

    /**
     * Behind the shipped HAProxy (which reaches Parley over IPv4 and appends the visitor to X-Forwarded-For), the
     * visitor's own address is stored, in the same spelling as a direct visitor's: "::1" for one that came over
     * IPv6, and 127.0.0.2 — another machine, as far as Parley knows — over IPv4.
     */
    @Test
    void behindHaproxyTheVisitorsAddressIsStoredOverIpv6AndIpv4(@TempDir Path dir) {
        int port = server.parley().port();
        int statsPort = FreePort.find();
        try (ProxyProcess haproxy = ProxyProcess.haproxy(dir, statsPort, List.of(port, port))) {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    ProxyProcess.haproxyServer(statsPort, "parley", "app1").getFirst().equals("UP"));

            long overIpv6 = guestPosts(new WebClient("http://[::1]:" + haproxy.port()), "haproxy-ipv6");
            assertThat(storedIp(overIpv6)).isEqualTo("::1");

            String path = TestServer.standalonePath("haproxy-ipv4");
            server.thread("haproxy-ipv4");
            String origin = "http://127.0.0.1:" + haproxy.port();
            var posted = RawHttp.sendFrom("127.0.0.2", haproxy.port(), "POST", path, "127.0.0.1:" + haproxy.port(),
                    List.of("Origin: " + origin), "name=Guest&body=Hello+from+127.0.0.2");
            assertThat(posted.status()).as(posted.body()).isEqualTo(302);
            Matcher id = COMMENT_ID.matcher(posted.headers("Location").getFirst());
            assertThat(id.find()).isTrue();
            assertThat(storedIp(Long.parseLong(id.group(1)))).isEqualTo("127.0.0.2");
        }
    }

    private static long guestPosts(WebClient guest, String key) {
        String path = TestServer.standalonePath(key);
        server.thread(key);
        guest.get(path);
        HttpResponse<String> posted = guest.post(path, Map.of("body", "Hello from " + key, "name", "Guest"));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        assertThat(guest.follow(posted).body()).contains("Hello from " + key);
        return idOf(posted);
    }

    private static long idOf(HttpResponse<String> redirect) {
        Matcher m = COMMENT_ID.matcher(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String storedIp(long commentId) {
        int shard = Ids.shardOf(commentId);
        return server.parley().databases().read(shard)
                .fetchValue("SELECT host(ip) FROM " + ShardRouter.schemaOf(shard) + ".comment WHERE id = ?", commentId)
                .toString();
    }
}
