package org.parley.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.data.DbUrl;
import org.parley.testing.EventStream;
import org.parley.testing.FreePort;
import org.parley.testing.Http;
import org.parley.testing.JarProcess;
import org.parley.testing.ProxyProcess;
import org.parley.testing.RawHttp;
import org.parley.testing.TestPostgres;
import org.parley.testing.WebClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What the shipped nginx and HAProxy configs do in front of one Parley jar: static files from disk, the
 * micro-cache that stores only what Parley's Cache-Control allows and never a signed-in page, the request id
 * from edge to log, and the visitor's own address arriving at Parley through both proxies.
 */
class EdgeProxiesIT {
    @TempDir
    static Path dir;
    private static JarProcess parley;
    private static ProxyProcess haproxy;
    private static ProxyProcess nginx;
    private static int statsPort;
    private static String publicUrl;

    @BeforeAll
    static void start() {
        DbUrl database = TestPostgres.shared().newDatabase();
        int port = FreePort.find();
        int nginxPort = FreePort.find();
        publicUrl = "http://127.0.0.1:" + nginxPort;
        Map<String, String> settings = new HashMap<>();
        settings.put("PARLEY_DB_URL", database.jdbcUrl());
        settings.put("PARLEY_DB_USER", TestPostgres.user());
        // two cores shared by many test JVMs: a connection can take seconds to open
        settings.put("PARLEY_DB_CONNECT_TIMEOUT_MS", "10000");
        settings.put("PARLEY_SHARDS", "4");
        settings.put("PARLEY_HOST", "127.0.0.1");
        settings.put("PARLEY_PORT", Integer.toString(port));
        settings.put("PARLEY_PUBLIC_URL", publicUrl);
        settings.put("PARLEY_TRUSTED_PROXIES", "127.0.0.1/32");
        settings.put("PARLEY_RATE_LIMITS", "false");
        parley = JarProcess.start(dir.resolve("parley"), settings);
        parley.awaitStdout("Parley is ready", Duration.ofSeconds(90));
        statsPort = FreePort.find();
        // the config has two server lines; the second names a port nobody listens on, which HAProxy marks DOWN
        haproxy = ProxyProcess.haproxy(dir.resolve("haproxy"), statsPort, List.of(port, FreePort.find()));
        nginx = ProxyProcess.nginx(dir.resolve("nginx"), haproxy.port(), nginxPort);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                ProxyProcess.haproxyServer(statsPort, "parley", "app1").getFirst().equals("UP")
                        && ProxyProcess.haproxyServer(statsPort, "parley", "app2").getFirst().equals("DOWN"));
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    /**
     * A live-update stream through nginx and HAProxy: it outlasts every idle timeout on the way (Jetty's and
     * HAProxy's 30 s server side) on heartbeats alone, and an event arrives as it is sent, not when a buffer fills.
     */
    @Test
    void aLiveStreamOutlastsTheProxiesIdleTimeoutsAndItsEventsArriveUnbuffered() throws Exception {
        WebClient guest = new WebClient(nginx.base());
        guest.get("/embed/default?key=edge-live&url=" + URLEncoder.encode(publicUrl + "/edge-live", StandardCharsets.UTF_8));
        String page = guest.get("/t/default/edge-live").body();
        Matcher live = Pattern.compile("data-live=\"(/live/\\d+\\?v=\\d+)\"").matcher(page);
        assertThat(live.find()).as("the thread page names its stream").isTrue();
        try (EventStream stream = EventStream.open(nginx.base() + live.group(1))) {
            assertThat(stream.response().statusCode()).isEqualTo(200);
            assertThat(stream.next()).startsWith("retry: ");
            pause(35_000); // past Jetty's and HAProxy's 30 s: only the heartbeats keep it open
            assertThat(stream.seen()).filteredOn(": ping"::equals).hasSizeGreaterThanOrEqualTo(2);
            guest.get("/t/default/edge-live");
            assertThat(guest.post("/t/default/edge-live", Map.of("name", "Eddie", "body", "Through both proxies"))
                    .statusCode()).isEqualTo(302);
            assertThat(stream.awaitLine("event: ", Duration.ofSeconds(10))).isEqualTo("event: version");
        }
    }

    @Test
    void staticFilesComeFromDiskCompressedAndCacheable() throws Exception {
        var plain = Http.get(nginx.base() + "/static/parley.css");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo(Files.readString(ProxyProcess.staticDir().resolve("parley.css")));
        assertThat(plain.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");

        var gzipped = Http.get(nginx.base() + "/static/parley.css", "Accept-Encoding", "gzip");
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");

        assertThat(parley.stderr()).as("nginx answered without asking Parley").doesNotContain("/static/parley.css");
    }

    @Test
    void aResponseParleyMarksPublicIsServedFromTheMicroCacheWithoutReachingParley() {
        String avatar = "/avatar/0123456789abcdef.svg";
        var first = Http.get(nginx.base() + avatar);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(first.headers().firstValue("X-Cache-Status")).hasValue("MISS");
        var second = Http.get(nginx.base() + avatar);
        assertThat(second.headers().firstValue("X-Cache-Status")).hasValue("HIT");
        assertThat(second.body()).isEqualTo(first.body());
        await().atMost(Duration.ofSeconds(5)).until(() -> requestsFor(avatar) == 1);
        pause(300);
        assertThat(requestsFor(avatar)).as("Parley saw only the first request").isEqualTo(1);
    }

    @Test
    void fingerprintedAssetsThatPagesLinkAreKeptByTheMicroCache() {
        var home = Http.get(nginx.base() + "/");
        Matcher css = Pattern.compile("href=\"(/assets/parley\\.[0-9a-f]+\\.css)\"").matcher(home.body());
        assertThat(css.find()).as(home.body()).isTrue();
        String asset = css.group(1);
        assertThat(Http.get(nginx.base() + asset).headers().firstValue("X-Cache-Status")).hasValue("MISS");
        var again = Http.get(nginx.base() + asset);
        assertThat(again.headers().firstValue("X-Cache-Status")).hasValue("HIT");
        assertThat(again.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        await().atMost(Duration.ofSeconds(5)).until(() -> requestsFor(asset) == 1);
    }

    @Test
    void aSignedInVisitorNeverUsesTheSharedCache() {
        WebClient member = signedInMember();
        String thread = "/t/default/cache-test";
        for (int i = 0; i < 3; i++) {
            var page = member.get(thread);
            assertThat(page.body()).contains("Commenting as Cache Tester");
            assertThat(page.headers().firstValue("X-Cache-Status")).hasValue("BYPASS");
        }
        var publicAvatar = member.get("/avatar/fedcba9876543210.svg");
        assertThat(publicAvatar.headers().firstValue("X-Cache-Status")).as("even a public response").hasValue("BYPASS");

        var guest = Http.get(nginx.base() + thread);
        assertThat(guest.statusCode()).isEqualTo(200);
        assertThat(guest.body()).doesNotContain("Cache Tester", "Commenting as");
    }

    /**
     * Today guests' thread pages are "private, no-cache" (they carry the guest's CSRF token): nginx must not
     * share them. Should Parley mark them "public, s-maxage=…" (without Set-Cookie), nginx must cache them.
     * Either way the cache does what Parley's Cache-Control says.
     */
    @Test
    void aGuestPageIsSharedExactlyWhenParleysCacheControlAllowsIt() {
        WebClient member = signedInMember();
        member.get("/embed/default?key=guest-page&url=" + enc(publicUrl + "/guest-page"));
        String thread = "/t/default/guest-page";
        int before = requestsFor(thread);

        HttpResponse<String> first = Http.get(nginx.base() + thread);
        HttpResponse<String> second = Http.get(nginx.base() + thread);
        String cacheControl = first.headers().firstValue("Cache-Control").orElse("");
        boolean shareable = cacheControl.contains("public") && cacheControl.matches(".*(s-maxage|max-age)=[1-9].*")
                && first.headers().firstValue("Set-Cookie").isEmpty() && second.headers().firstValue("Set-Cookie").isEmpty();
        if (shareable) {
            assertThat(second.headers().firstValue("X-Cache-Status")).as(cacheControl).hasValue("HIT");
            await().atMost(Duration.ofSeconds(5)).until(() -> requestsFor(thread) == before + 1);
        } else {
            assertThat(second.headers().firstValue("X-Cache-Status")).as(cacheControl).isNotEqualTo(Optional.of("HIT"));
            await().atMost(Duration.ofSeconds(5)).until(() -> requestsFor(thread) == before + 2);
        }
    }

    @Test
    void theRequestIdIsKeptFromTheEdgeOrMadeThereAndLoggedAllTheWay() {
        var given = Http.get(nginx.base() + "/healthz", "X-Request-Id", "edge-trace-1");
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("edge-trace-1");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(parley.stderr()).contains("GET /healthz 200").contains("id=edge-trace-1");
            assertThat(haproxy.output()).contains("{edge-trace-1}");
            assertThat(nginx.output()).contains("id=edge-trace-1");
        });

        var made = Http.get(nginx.base() + "/healthz");
        String id = made.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f]{32}");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(parley.stderr()).contains("id=" + id));
    }

    @Test
    void theVisitorsOwnAddressReachesParleyThroughBothProxies() {
        var response = RawHttp.sendFrom("127.0.0.2", nginx.port(), "GET", "/healthz", "127.0.0.1",
                List.of("X-Forwarded-For: 203.0.113.66", "X-Request-Id: from-127-0-0-2"), null);
        assertThat(response.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parley.stderr().lines()
                .filter(l -> l.contains("id=from-127-0-0-2")).toList())
                .singleElement().asString().endsWith("client=127.0.0.2"));
    }

    @Test
    void theStatsPageListensOnLoopbackOnly() {
        assertThat(Http.get("http://127.0.0.1:" + statsPort + "/").body()).contains("parley");
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", statsPort), 1000);
            }
        }).isInstanceOf(IOException.class);
    }

    private static WebClient signedInMember() {
        WebClient member = new WebClient(nginx.base());
        member.get("/embed/default?key=cache-test&url=" + enc(publicUrl + "/cache-test"));
        member.get("/signup");
        String email = "cache" + System.nanoTime() + "@example.com";
        var signedUp = member.post("/signup", Map.of("name", "Cache Tester", "email", email,
                "password", "correct horse battery", "return", "/t/default/cache-test"));
        assertThat(signedUp.statusCode()).as(signedUp.body()).isEqualTo(302);
        return member;
    }

    /** How many times Parley's access log shows a GET of exactly this path. */
    private static int requestsFor(String path) {
        return (int) parley.stderr().lines().filter(l -> l.contains(" GET " + path + " ")).count();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
