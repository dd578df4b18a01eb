package org.parley.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.bench.DatasetGenerator;
import org.parley.bench.DatasetSpec;
import org.parley.discussion.ThreadRepository;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.testing.Encodings;
import org.parley.testing.TestServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17 ("Weight"): the first page of the benchmark's 200-comment thread weighs at most 1 KiB of HTML per
 * comment, counted strictly as the <em>whole</em> page (heading, form, layout and all) divided by the thread's 200
 * comments. That is the benchmark's page, the standalone one; the embed of the same thread is weighed too and
 * held at its current weight, a little above the goal. The thread is the benchmark's own ({@code parley bench-data}: same
 * generator, shape and texts as {@code bench/run}'s {@code /t/bench/n200}), so these figures are the benchmark
 * page's.
 *
 * <p>Prints a table — bytes of the page and per comment, plain, gzip and brotli as Parley sends them — which
 * {@code bench/README.md} ("Page weight") quotes. Run alone:
 * {@code mvn -o -B verify -Dit.test=PageWeightIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}; the pages
 * it weighed are left in {@code target/page-weight/}.
 */
class PageWeightIT {
    /** The goal of issue 17, per comment, uncompressed. */
    static final int MAX_BYTES_PER_COMMENT = 1024;
    /** What the embed weighs now (1 052 bytes a comment): a regression guard until it meets the goal too. */
    static final int EMBED_MAX_BYTES_PER_COMMENT = 1060;
    /** Issue 17: the embed's scripts and styles together, compressed (15 KB, counted as 15 000 bytes). */
    static final int EMBED_FILES_MAX_BYTES = 15_000;
    private static final Pattern LINKED_FILE = Pattern.compile("<(?:link rel=\"stylesheet\" href|script src)=\"([^\"]+)\"");
    private static final Pattern AVATAR = Pattern.compile("<img src=\"/avatar/([0-9a-f]{16})\\.svg\" alt=\"\">");
    private static final int COMMENTS = 200;
    private static final String SITE = "weight";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void theBenchmarkThread() {
        // bench/run's generator with its seed: the n200 thread has the benchmark's shape and texts
        new DatasetGenerator(server.parley().databases(), new PrintStream(new ByteArrayOutputStream()))
                .generate(new DatasetSpec(SITE, 1, TestServer.ORIGIN, List.of(COMMENTS), 0, 10, 10, 1, 1));
        Site site = new SiteRepository(server.parley().databases().main()).byName(SITE).orElseThrow();
        new ThreadRepository(server.parley().databases()).findOrCreate(site.id(), "empty",
                TestServer.ORIGIN + "/empty", "Bench thread empty");
    }

    @Test
    void theTwoHundredCommentPageWeighsAtMostOneKilobyteAComment() throws Exception {
        List<Weight> weights = new ArrayList<>();
        for (String kind : List.of("standalone", "embed")) {
            Weight full = weigh(kind, address(kind, "n" + COMMENTS));
            Weight empty = weigh(kind, address(kind, "empty"));
            weights.add(full);
            System.out.println(table(kind, full, empty));
        }
        Weight standalone = weights.get(0);
        Weight embed = weights.get(1);
        assertThat(standalone.plain / COMMENTS).as("uncompressed bytes per comment, the whole standalone page / %d",
                COMMENTS).isLessThanOrEqualTo(MAX_BYTES_PER_COMMENT);
        // the embed's links also say where they were shown (?embed=site, 3 a comment) and its permalink opens a
        // tab: about 50 bytes a comment more, not yet within the goal (bench/README.md, "Page weight")
        assertThat(embed.plain / COMMENTS).as("uncompressed bytes per comment, the whole embed page / %d", COMMENTS)
                .isLessThanOrEqualTo(EMBED_MAX_BYTES_PER_COMMENT);
        for (Weight w : weights) {
            assertThat(w.gzip).as("%s page gzipped", w.kind).isLessThan(w.plain / 8);
            assertThat(w.br).as("%s page in brotli", w.kind).isLessThan(w.gzip);
        }
    }

    /**
     * What a host page loads for the embed — {@code /embed.js}, then inside the frame every stylesheet and script the
     * embed page links — weighs at most 15 KB as a browser receives it, in gzip and in brotli. The frame's files are
     * read from the page itself, so a file added to the frame counts.
     */
    @Test
    void theEmbedsScriptsAndStylesWeighAtMostFifteenKilobytesCompressed() throws Exception {
        String frame = new String(get(server.base() + address("embed", "n" + COMMENTS), null).body(),
                StandardCharsets.UTF_8);
        List<String> files = new ArrayList<>(List.of("/embed.js"));
        Matcher linked = LINKED_FILE.matcher(frame);
        while (linked.find()) {
            files.add(linked.group(1));
        }
        assertThat(files).as("embed.js, the stylesheet and the frame's scripts").hasSizeGreaterThanOrEqualTo(3);

        var out = new StringBuilder("PageWeightIT: what the embed loads (bytes as sent)\n");
        out.append("  %-36s %8s %8s %8s%n".formatted("file", "plain", "gzip", "br"));
        long plainTotal = 0;
        long gzipTotal = 0;
        long brotliTotal = 0;
        for (String file : files) {
            HttpResponse<byte[]> plain = get(server.base() + file, null);
            assertThat(plain.statusCode()).as(file).isEqualTo(200);
            HttpResponse<byte[]> gzip = get(server.base() + file, "gzip");
            assertThat(gzip.headers().firstValue("Content-Encoding")).as("gzip of " + file).hasValue("gzip");
            assertThat(Encodings.gunzip(gzip.body())).isEqualTo(plain.body());
            HttpResponse<byte[]> br = get(server.base() + file, "gzip, deflate, br, zstd");
            assertThat(br.headers().firstValue("Content-Encoding")).as("brotli of " + file).hasValue("br");
            assertThat(Encodings.unbrotli(br.body())).isEqualTo(plain.body());
            out.append("  %-36s %8d %8d %8d%n".formatted(file, plain.body().length, gzip.body().length,
                    br.body().length));
            plainTotal += plain.body().length;
            gzipTotal += gzip.body().length;
            brotliTotal += br.body().length;
        }
        out.append("  %-36s %8d %8d %8d%n".formatted("total", plainTotal, gzipTotal, brotliTotal));
        System.out.print(out);
        assertThat(gzipTotal).as("the embed's scripts and styles, gzipped").isLessThanOrEqualTo(EMBED_FILES_MAX_BYTES);
        assertThat(brotliTotal).as("the embed's scripts and styles, in brotli").isLessThanOrEqualTo(EMBED_FILES_MAX_BYTES);
    }

    /**
     * Avatars: each is its own request the first time a browser meets its author, then never again for a year (an
     * avatar's URL is its key, and a key always draws the same picture: immutable). Inlining them instead would
     * spare those first requests but weigh on every view of every page, revisits included; this prints both costs
     * for the benchmark page ({@code docs/caching.md}, "Avatars", records the decision).
     */
    @Test
    void avatarsAreFreeOnARevisitWhileInliningThemWouldWeighOnEveryView() throws Exception {
        byte[] page = get(server.base() + address("standalone", "n" + COMMENTS), null).body();
        String html = new String(page, StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>();
        Matcher avatar = AVATAR.matcher(html);
        while (avatar.find()) {
            keys.add(avatar.group(1));
        }
        assertThat(keys).as("an avatar per comment shown").hasSizeGreaterThan(COMMENTS * 9 / 10);
        long svgBytes = 0;
        for (String key : new LinkedHashSet<>(keys)) {
            HttpResponse<byte[]> svg = get(server.base() + "/avatar/" + key + ".svg", "gzip, deflate, br, zstd");
            assertThat(svg.statusCode()).isEqualTo(200);
            assertThat(svg.headers().firstValue("Cache-Control")).as("a revisit asks nothing")
                    .hasValue("public, max-age=31536000, immutable");
            svgBytes += svg.body().length;
        }

        byte[] inlined = AVATAR.matcher(html).replaceAll(m -> Matcher.quoteReplacement(
                org.parley.account.Avatars.svg(m.group(1)).replace(" role=\"img\"", " aria-hidden=\"true\"")))
                .getBytes(StandardCharsets.UTF_8);
        int shown = keys.size();
        var out = new StringBuilder("PageWeightIT: avatars on the ").append(COMMENTS).append("-comment page\n");
        out.append("  %d comments with an avatar, %d distinct authors (%d among the first 50 comments), %d bytes of SVG"
                .formatted(shown, new LinkedHashSet<>(keys).size(), new LinkedHashSet<>(keys.subList(0, 50)).size(),
                        svgBytes)).append('\n');
        out.append("  %-22s %10s %10s %10s%n".formatted("page", "plain", "gzip", "br"));
        out.append("  %-22s %10d %10d %10d%n".formatted("linked (now)", page.length, Encodings.gzip(page).length,
                Encodings.brotli(page, Compression.BROTLI_QUALITY).length));
        out.append("  %-22s %10d %10d %10d%n".formatted("inline SVG", inlined.length, Encodings.gzip(inlined).length,
                Encodings.brotli(inlined, Compression.BROTLI_QUALITY).length));
        System.out.print(out);
    }

    private static String address(String kind, String key) {
        return kind.equals("embed")
                ? "/embed/" + SITE + "?key=" + key + "&url=" + URLEncoder.encode(TestServer.ORIGIN + "/" + key,
                StandardCharsets.UTF_8)
                : "/t/" + SITE + "/" + key;
    }

    /** One page, fetched as a guest three times: plain, gzip, brotli; each must unpack to the plain bytes. */
    private static Weight weigh(String kind, String path) throws Exception {
        String url = server.base() + path;
        HttpResponse<byte[]> plain = get(url, null);
        assertThat(plain.statusCode()).as(url).isEqualTo(200);
        assertThat(new String(plain.body(), StandardCharsets.UTF_8)).contains("</html>");
        HttpResponse<byte[]> gzip = get(url, "gzip");
        assertThat(gzip.headers().firstValue("Content-Encoding")).as("gzip of " + url).hasValue("gzip");
        assertThat(Encodings.gunzip(gzip.body())).isEqualTo(plain.body());
        Path saved = Path.of("target", "page-weight", kind + (path.contains("empty") ? "-empty" : "") + ".html");
        Files.createDirectories(saved.getParent());
        Files.write(saved, plain.body()); // to look at what a comment costs
        HttpResponse<byte[]> br = get(url, "br");
        assertThat(br.headers().firstValue("Content-Encoding")).as("brotli of " + url).hasValue("br");
        assertThat(Encodings.unbrotli(br.body())).isEqualTo(plain.body());
        return new Weight(kind, plain.body().length, gzip.body().length, br.body().length);
    }

    private static String table(String kind, Weight full, Weight empty) {
        var out = new StringBuilder();
        out.append("PageWeightIT: ").append(kind).append(" page of the ").append(COMMENTS)
                .append("-comment bench thread (per comment = whole page / ").append(COMMENTS).append(")\n");
        out.append("  encoding    page bytes   empty thread   per comment   (page - empty) / ").append(COMMENTS)
                .append('\n');
        row(out, "plain", full.plain, empty.plain);
        row(out, "gzip", full.gzip, empty.gzip);
        row(out, "br", full.br, empty.br);
        return out.toString();
    }

    private static void row(StringBuilder out, String encoding, long page, long empty) {
        out.append("  %-10s  %10d   %12d   %11d   %d%n".formatted(encoding, page, empty, page / COMMENTS,
                (page - empty) / COMMENTS));
    }

    private record Weight(String kind, long plain, long gzip, long br) {
    }

    private static HttpResponse<byte[]> get(String url, String acceptEncoding) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

}
