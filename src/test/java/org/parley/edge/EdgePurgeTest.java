package org.parley.edge;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.outbox.DeliveryFailure;
import org.parley.testing.FreePort;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CDNs' purge requests as their APIs document them (method, path, headers, body), sent to a local HTTP
 * receiver standing in for the SaaS API; and how the answers are sorted into retried and dead purges.
 */
class EdgePurgeTest {
    private static final EdgePurge.Target THREAD = new EdgePurge.Target(42, 7,
            org.parley.discussion.ThreadUrls.edgePaths("default", "a key&more"));

    /** One request as the receiver saw it; header names in lower case. */
    record Seen(String method, String path, Map<String, String> headers, String body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private volatile int status = 200;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream().collect(Collectors.toMap(
                    e -> e.getKey().toLowerCase(), e -> String.join(",", e.getValue())));
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = (status == 200 ? "{\"status\":\"ok\"}" : "{\"error\":\"said no\"}").getBytes();
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private URI api() {
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort());
    }

    private EdgeSettings settings(EdgeSettings.Provider provider, String target, String token, String secret) {
        return new EdgeSettings(provider, Duration.ofDays(1), api(), target, token, secret, "");
    }

    @Test
    void fastlyPurgesTheKeyOfItsServiceWithTheTokenInFastlyKey() throws Exception {
        EdgePurge.of(settings(EdgeSettings.Provider.FASTLY, "SU1Z0isxPaozGVKXdv0eY", "fastly-token", "")).purge(THREAD);

        Seen request = seen.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/service/SU1Z0isxPaozGVKXdv0eY/purge/parley-t-42");
        assertThat(request.headers()).containsEntry("fastly-key", "fastly-token")
                .doesNotContainKey("fastly-soft-purge");
    }

    @Test
    void cloudflarePurgesTheTagOfItsZoneWithABearerToken() throws Exception {
        EdgePurge.of(settings(EdgeSettings.Provider.CLOUDFLARE, "023e105f4ecef8ad9ca31a8372d0c353", "cf-token", ""))
                .purge(THREAD);

        Seen request = seen.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache");
        assertThat(request.headers()).containsEntry("authorization", "Bearer cf-token")
                .containsEntry("content-type", "application/json");
        assertThat(request.body()).isEqualTo("{\"tags\":[\"parley-t-42\"]}");
    }

    @Test
    void cloudFrontInvalidatesTheThreadsPathsSignedWithSigV4() throws Exception {
        EdgePurge purge = EdgePurge.of(settings(EdgeSettings.Provider.CLOUDFRONT, "E2QWRUHAPOMQZL", "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
        assertThat(purge.needsPaths()).isTrue();
        purge.purge(THREAD);

        Seen request = seen.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/2020-05-31/distribution/E2QWRUHAPOMQZL/invalidation");
        assertThat(request.headers().get("authorization"))
                .matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-east-1/cloudfront/aws4_request, "
                        + "SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}");
        assertThat(request.headers()).containsKey("x-amz-date");
        assertThat(request.headers().get("authorization"))
                .as("the signature, recomputed from the request as it arrived (as AWS does)")
                .endsWith("Signature=" + sigV4(request, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
        assertThat(request.body())
                .contains("<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">")
                .contains("<Paths><Quantity>2</Quantity><Items><Path>/t/default/a%20key%26more*</Path>"
                        + "<Path>/embed/default*</Path></Items></Paths>")
                .containsPattern("<CallerReference>parley-parley-t-42-[0-9a-f-]{36}</CallerReference>");
    }

    /**
     * AWS Signature Version 4 of a request as received, written out from AWS's description (no SDK): the canonical
     * request from the headers the signer named, the string to sign, the derived key. If the client had sent a
     * header other than the one signed (a Host with another port, say), this would differ.
     */
    private static String sigV4(Seen request, String secret) throws Exception {
        var auth = java.util.regex.Pattern.compile("Credential=[^/]+/(\\d{8})/([^/]+)/([^/]+)/aws4_request, "
                + "SignedHeaders=([^,]+), Signature=").matcher(request.headers().get("authorization"));
        assertThat(auth.find()).isTrue();
        String date = auth.group(1), region = auth.group(2), service = auth.group(3);
        List<String> signed = List.of(auth.group(4).split(";"));
        StringBuilder canonical = new StringBuilder(request.method()).append('\n').append(request.path())
                .append("\n\n");
        for (String name : signed) {
            canonical.append(name).append(':').append(request.headers().get(name).strip()).append('\n');
        }
        String payloadHash = request.headers().getOrDefault("x-amz-content-sha256", hex(sha256(request.body())));
        canonical.append('\n').append(String.join(";", signed)).append('\n').append(payloadHash);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + request.headers().get("x-amz-date") + "\n" + scope + "\n"
                + hex(sha256(canonical.toString()));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        for (String part : List.of(region, service, "aws4_request")) {
            key = hmac(key, part);
        }
        return hex(hmac(key, toSign));
    }

    private static byte[] sha256(String text) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String text) throws Exception {
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    @Test
    void aBusyOrFailingEdgeIsTriedAgainAndARefusalIsNot() {
        EdgePurge fastly = EdgePurge.of(settings(EdgeSettings.Provider.FASTLY, "S", "t", ""));
        status = 503;
        assertThatThrownBy(() -> fastly.purge(THREAD))
                .isInstanceOfSatisfying(DeliveryFailure.class, f -> assertThat(f.permanent()).isFalse())
                .hasMessageContaining("Fastly purge of parley-t-42: HTTP 503: {\"error\":\"said no\"}");
        status = 429;
        assertThatThrownBy(() -> fastly.purge(THREAD))
                .isInstanceOfSatisfying(DeliveryFailure.class, f -> assertThat(f.permanent()).isFalse());
        status = 401;
        assertThatThrownBy(() -> fastly.purge(THREAD))
                .isInstanceOfSatisfying(DeliveryFailure.class, f -> assertThat(f.permanent()).isTrue())
                .hasMessageContaining("HTTP 401");
    }

    @Test
    void anEdgeThatIsNotThereIsTriedAgain() {
        EdgePurge varnish = EdgePurge.of(new EdgeSettings(EdgeSettings.Provider.VARNISH, Duration.ofDays(1),
                URI.create("http://127.0.0.1:" + FreePort.find()), "", "", "", ""));
        assertThatThrownBy(() -> varnish.purge(THREAD))
                .isInstanceOfSatisfying(DeliveryFailure.class, f -> assertThat(f.permanent()).isFalse())
                .hasMessageContaining("Varnish ban of parley-t-42")
                .hasMessageContaining("could not reach 127.0.0.1");
    }

    @Test
    void theCourierRaisesTheCachedVersionThenPurgesAndDropsAPurgeOfAGoneSite() throws Exception {
        EdgePurge recording = new EdgePurge() {
            @Override
            public void purge(Target target) {
                seen.add(new Seen("PURGE", target.key(), Map.of(), String.join(" ", target.paths())));
            }
        };
        Map<Long, Long> raised = new java.util.HashMap<>();
        var courier = new PurgeCourier(recording, (site, key) -> java.util.Optional.empty(), raised::put);
        assertThat(courier.deliver("{\"thread\":42,\"version\":9,\"site\":7,\"key\":\"k\"}"))
                .isEqualTo(org.parley.outbox.Courier.Delivered.SENT);
        assertThat(seen).extracting(Seen::path).containsExactly("parley-t-42");
        assertThat(raised).as("the cache names the write's version before the edge asks again")
                .containsExactly(Map.entry(42L, 9L));
        assertThatThrownBy(() -> courier.deliver("{\"site\":7}"))
                .isInstanceOfSatisfying(DeliveryFailure.class, f -> assertThat(f.permanent()).isTrue());
        EdgePurge byPaths = new EdgePurge() {
            @Override
            public void purge(Target target) {
                seen.add(new Seen("INVALIDATE", target.key(), Map.of(), String.join(" ", target.paths())));
            }

            @Override
            public boolean needsPaths() {
                return true;
            }
        };
        assertThat(new PurgeCourier(byPaths, (site, key) -> java.util.Optional.empty(), raised::put)
                .deliver("{\"thread\":43,\"version\":1,\"site\":7,\"key\":\"k\"}").state())
                .isEqualTo("dropped");
        assertThat(seen).extracting(Seen::path).containsExactly("parley-t-42");
    }
}
