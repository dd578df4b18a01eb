package org.parley.cdn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.Http;
import org.parley.testing.TestServer;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a CDN, each instance serves the build's fingerprinted files itself, cached for good and gzipped. */
class StaticAssetsIT {
    private static final Pattern CSS_LINK = Pattern.compile("href=\"(/assets/parley\\.[0-9a-f]{10}\\.css)\"");
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void pagesLinkTheFingerprintedStylesheetWhichIsCachedForeverAndGzipped() throws Exception {
        String page = Http.get(server.base() + TestServer.standalonePath("assets-page")).body();
        Matcher link = CSS_LINK.matcher(page);
        assertThat(link.find()).as("stylesheet link in\n%s", page).isTrue();
        byte[] source = Files.readAllBytes(Path.of("static/parley.css"));

        HttpResponse<byte[]> plain = fetch(link.group(1), "identity");
        HttpResponse<byte[]> gzipped = fetch(link.group(1), "gzip");

        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo(source);
        assertThat(plain.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(plain.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gzipped.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Accept-Encoding"));
        assertThat(gzipped.body().length).isLessThan(source.length);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes()).isEqualTo(source);
    }

    @Test
    void scriptsAreLinkedByHashAndTheCspStillAllowsOnlyThisOrigin() {
        var page = Http.get(server.base() + TestServer.standalonePath("assets-scripts"));

        assertThat(page.body()).containsPattern("src=\"/assets/thread\\.[0-9a-f]{10}\\.js\"")
                .doesNotContain("src=\"/static/");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self';"));
    }

    @Test
    void anUnknownAssetIsA404PageNotADirectoryListing() {
        assertThat(Http.get(server.base() + "/assets/nope.0000000000.css").statusCode()).isEqualTo(404);
        assertThat(Http.get(server.base() + "/assets/").statusCode()).isIn(403, 404);
    }

    private static HttpResponse<byte[]> fetch(String path, String encoding) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.base() + path)).header("Accept-Encoding", encoding).build();
        try (var client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
    }
}
