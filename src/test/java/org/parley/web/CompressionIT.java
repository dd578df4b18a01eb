package org.parley.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.Encodings;
import org.parley.testing.TestServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Parley writes per request goes out compressed to a client that accepts it — brotli to a browser, gzip to a
 * client that only takes gzip; a thread page of 50 comments at a fraction of its size, the same page once unpacked —
 * and plain to one that does not; a revalidation of any variant still gets its 304; a small answer is sent as it
 * is; a live stream is never compressed (an encoder would hold its events back).
 */
class CompressionIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    /** Chromium's and Firefox's {@code Accept-Encoding} over HTTPS (zstd is not served). */
    static final String BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd";
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void pagesAreCompressedForClientsThatAcceptItAndRevalidateToA304() throws Exception {
        var thread = server.thread("compressed");
        for (int i = 0; i < 50; i++) {
            server.post(thread, null, "Comment number " + i + " with some words that readers write");
        }
        String page = server.base() + TestServer.standalonePath("compressed");

        HttpResponse<byte[]> plain = get(page, null, null);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.headers().allValues("Vary").toString()).containsIgnoringCase("Accept-Encoding");

        HttpResponse<byte[]> gzipped = get(page, "gzip, deflate", null);
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.headers().allValues("Vary").toString()).containsIgnoringCase("Accept-Encoding");
        assertThat(Encodings.gunzip(gzipped.body())).isEqualTo(plain.body());
        assertThat(gzipped.body().length).as("gzipped vs plain bytes").isLessThan(plain.body().length / 4);

        // what Chromium and Firefox send: brotli is preferred to gzip
        HttpResponse<byte[]> brotli = get(page, BROWSER_ACCEPT_ENCODING, null);
        assertThat(brotli.statusCode()).isEqualTo(200);
        assertThat(brotli.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(brotli.headers().allValues("Vary").toString()).containsIgnoringCase("Accept-Encoding");
        assertThat(Encodings.unbrotli(brotli.body())).isEqualTo(plain.body());
        assertThat(brotli.body().length).as("brotli vs gzip bytes").isLessThan(gzipped.body().length);
        assertThat(get(page, "br", null).headers().firstValue("Content-Encoding")).hasValue("br");
        // the shared page was compressed when it was stored, not now: sent whole with its length (what Jetty
        // compresses per request goes out chunked, without one), the same bytes every time
        for (var stored : List.of(gzipped, brotli)) {
            assertThat(stored.headers().firstValueAsLong("Content-Length")).hasValue(stored.body().length);
        }
        assertThat(get(page, BROWSER_ACCEPT_ENCODING, null).body()).isEqualTo(brotli.body());
        System.out.printf("CompressionIT: a 50-comment page is %d bytes, %d gzipped, %d brotli%n",
                plain.body().length, gzipped.body().length, brotli.body().length);

        // each variant's tag revalidates to a 304, whatever the encoding the revalidation accepts
        String plainTag = plain.headers().firstValue("ETag").orElseThrow();
        String gzipTag = gzipped.headers().firstValue("ETag").orElseThrow();
        String brotliTag = brotli.headers().firstValue("ETag").orElseThrow();
        assertThat(List.of(gzipTag, brotliTag)).as("variants have their own tags").doesNotContain(plainTag);
        assertThat(gzipTag).isEqualTo(plainTag.replaceFirst("\"$", "--gzip\""));
        assertThat(brotliTag).isEqualTo(plainTag.replaceFirst("\"$", "--br\""));
        assertThat(get(page, "gzip", gzipTag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> notModified = get(page, BROWSER_ACCEPT_ENCODING, brotliTag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("ETag")).hasValue(brotliTag);
        assertThat(get(page, null, plainTag).statusCode()).isEqualTo(304);
    }

    @Test
    void pagesThatAreNotStoredAreCompressedAsTheyAreSent() throws Exception {
        var thread = server.thread("feed-compressed"); // the writer's redirect: rendered for them, never stored
        for (int i = 0; i < 10; i++) {
            server.post(thread, null, "Comment number " + i + " for the writer, long enough to be worth compressing");
        }
        HttpResponse<byte[]> page = get(server.base() + TestServer.standalonePath("feed-compressed") + "?posted=approved",
                BROWSER_ACCEPT_ENCODING, null);
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(page.headers().firstValue("Content-Length")).as("compressed as it streams").isEmpty();
        assertThat(new String(Encodings.unbrotli(page.body()), java.nio.charset.StandardCharsets.UTF_8))
                .contains("Comment number 9 for the writer");
    }

    @Test
    void smallResponsesAreSentAsTheyAre() throws Exception {
        HttpResponse<byte[]> small = get(server.base() + "/healthz", BROWSER_ACCEPT_ENCODING, null);
        assertThat(small.body().length).isLessThan(Compression.MIN_SIZE);
        assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void liveStreamsAreNeverCompressed() throws Exception {
        var thread = server.thread("streamed");
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.base() + "/live/" + thread.id() + "?v="
                        + thread.version()))
                .header("Accept-Encoding", "gzip").header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<InputStream> stream = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
            assertThat(stream.headers().firstValue("Content-Encoding")).isEmpty();
        }
    }

    private static HttpResponse<byte[]> get(String url, String acceptEncoding, String ifNoneMatch)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

}
