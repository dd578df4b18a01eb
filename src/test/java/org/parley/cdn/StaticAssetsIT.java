package org.parley.cdn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.web.Assets;
import org.parley.testing.Encodings;
import org.parley.testing.Http;
import org.parley.testing.TestServer;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a CDN, each instance serves the build's fingerprinted files itself, cached for good, as the build's brotli
 * or gzip twin; {@code /embed.js} (a stable address) is sent from the same twins.
 */
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

        // a browser gets the build's brotli twin: smaller again, and the same tag scheme as the gzip twin
        HttpResponse<byte[]> brotli = fetch(link.group(1), "gzip, deflate, br, zstd");
        assertThat(brotli.headers().firstValue("Content-Encoding")).contains("br");
        assertThat(brotli.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(brotli.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Accept-Encoding"));
        assertThat(brotli.body().length).isLessThan(gzipped.body().length);
        assertThat(Encodings.unbrotli(brotli.body())).isEqualTo(source);
        System.out.printf("StaticAssetsIT: parley.css %d bytes, %d gzipped, %d in brotli%n", source.length,
                gzipped.body().length, brotli.body().length);
    }

    @Test
    void theStableEmbedScriptIsSentAsTheBuildCompressedIt() throws Exception {
        byte[] source = Files.readAllBytes(Path.of("static/embed.js"));
        HttpResponse<byte[]> plain = fetch("/embed.js", "identity");
        HttpResponse<byte[]> gzipped = fetch("/embed.js", "gzip");
        HttpResponse<byte[]> brotli = fetch("/embed.js", "gzip, deflate, br, zstd");

        assertThat(plain.body()).isEqualTo(source);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes()).isEqualTo(source);
        assertThat(brotli.headers().firstValue("Content-Encoding")).contains("br");
        assertThat(Encodings.unbrotli(brotli.body())).isEqualTo(source);
        // the build's twins at their strongest settings, not a per-request compression
        String hashed = Assets.load(Optional.empty()).hashedNames().get("embed.js");
        assertThat(brotli.body()).isEqualTo(Files.readAllBytes(Path.of("target/classes/assets/" + hashed + ".br")));
        assertThat(gzipped.body()).isEqualTo(Files.readAllBytes(Path.of("target/classes/assets/" + hashed + ".gz")));
        for (var response : List.of(plain, gzipped, brotli)) {
            assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=300");
            assertThat(response.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Accept-Encoding"));
        }
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
