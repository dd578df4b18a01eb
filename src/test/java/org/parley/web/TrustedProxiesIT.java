package org.parley.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.RawHttp;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * X-Forwarded-For counts only when the TCP peer is a configured proxy. Here the proxy is 127.0.0.1; a client
 * connecting from 127.0.0.2 is "another machine" that writes whatever it likes into the header.
 */
class TrustedProxiesIT {
    private static final String PROXY = "127.0.0.1";
    private static final String STRANGER = "127.0.0.2";
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_RATE_LIMITS", "true", "PARLEY_TRUSTED_PROXIES", PROXY + "/32"));
    private static int port;

    @BeforeAll
    static void start() {
        port = server.parley().port();
    }

    @Test
    void aForgedHeaderFromAnUntrustedPeerDoesNotEscapeTheRateLimit() {
        var visitor = session("/signup");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            statuses.add(post(STRANGER, "/signup", visitor, "198.51.100." + i, "email=").status());
        }
        // sign-up allows 5 an hour per address: the sixth is refused although each claimed another address
        assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 429);
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnLimit() {
        var visitor = session("/signup");
        for (int i = 1; i <= 6; i++) {
            assertThat(post(PROXY, "/signup", visitor, "198.51.100." + (100 + i), "email=").status())
                    .as("client %d is a different visitor", i).isEqualTo(400);
        }
        List<Integer> sameClient = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            // the visitor forged an address; nginx appended the real one, which is the one counted
            sameClient.add(post(PROXY, "/signup", visitor, "6.6.6.6, 198.51.100.200", "email=").status());
        }
        assertThat(sameClient).containsExactly(400, 400, 400, 400, 400, 429);
    }

    @Test
    void anIpBanAppliesToTheForwardedClientOnlyThroughATrustedProxy() {
        server.mainSql("INSERT INTO main.ban (site_id, kind, value, reason, created_by) "
                + "SELECT s.id, 'ip', '203.0.113.0/24', 'forwarded ban', (SELECT min(id) FROM main.account) "
                + "FROM main.site s WHERE s.name = 'default'");
        var visitor = session(TestServer.embedPath("forwarded-ban"));
        String path = TestServer.standalonePath("forwarded-ban");

        var throughProxy = post(PROXY, path, visitor, "203.0.113.9", "name=Guest&body=" + enc("Through the proxy"));
        assertThat(throughProxy.status()).isEqualTo(403);
        assertThat(throughProxy.body()).contains("You cannot comment on this site (forwarded ban).");

        var forged = post(STRANGER, path, visitor, "203.0.113.9", "name=Guest&body=" + enc("Claiming a banned address"));
        assertThat(forged.status()).as("a stranger cannot get itself judged as someone else").isEqualTo(302);
    }

    /** A guest who has seen {@code page}: guests carry no cookie or token, their browser sends its Origin. */
    private record Visitor(String origin) {
    }

    private static Visitor session(String page) {
        WebClient client = server.client();
        assertThat(client.get(page).statusCode()).isEqualTo(200);
        return new Visitor("http://127.0.0.1:" + port);
    }

    private static RawHttp.Response post(String from, String path, Visitor visitor, String forwardedFor, String form) {
        return RawHttp.sendFrom(from, port, "POST", path, "127.0.0.1:" + port,
                List.of("Origin: " + visitor.origin(), "X-Forwarded-For: " + forwardedFor), form);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
