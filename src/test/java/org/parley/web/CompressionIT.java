package org.parley.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Parley writes per request goes out gzipped to a client that accepts it — a thread page of 50 comments at
 * a fraction of its size, the same page once unpacked — and plain to one that does not; a revalidation of the
 * gzipped copy still gets its 304; a live stream is never compressed (a deflater would hold its events back).
 */
class CompressionIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void pagesAreGzippedForClientsThatAcceptItAndRevalidateToA304() throws Exception {
        var thread = server.thread("compressed");
        for (int i = 0; i < 50; i++) {
            server.post(thread, null, "Comment number " + i + " with some words that readers write");
        }
        String page = server.base() + TestServer.standalonePath("compressed");

        HttpResponse<byte[]> plain = get(page, null, null);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        HttpResponse<byte[]> gzipped = get(page, "gzip, deflate, br", null);
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.headers().allValues("Vary").toString()).containsIgnoringCase("Accept-Encoding");
        String unpacked = gunzip(gzipped.body());
        assertThat(unpacked).contains("Comment number 0 with", "Comment number 49 with");
        assertThat(gzipped.body().length).as("gzipped vs plain bytes").isLessThan(plain.body().length / 4);
        System.out.printf("CompressionIT: a 50-comment page is %d bytes, %d gzipped%n", plain.body().length,
                gzipped.body().length);

        String etag = gzipped.headers().firstValue("ETag").orElseThrow();
        assertThat(get(page, "gzip", etag).statusCode()).isEqualTo(304);
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

    private static String gunzip(byte[] bytes) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
