package org.parley.discussion;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.data.ShardRouter;
import org.parley.site.CountWording;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counts behind the count scripts (Parley's and the Disqus shape's): many threads in one request, at most one SQL statement per shard it touches (read
 * from the X-Parley-Sql-Targets header every response carries), public and cacheable, readable from any origin,
 * worded per site and language, and bad requests refused with the field named.
 */
class ThreadCountsIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static final int THREADS = 12;
    private static final String ADDRESS = "https://blog.example/posts/";

    @BeforeAll
    static void threadsOnSeveralShards() {
        var threads = new ThreadRepository(server.parley().databases());
        for (int i = 0; i < THREADS; i++) {
            var t = threads.findOrCreate(server.site().id(), "post-" + i, ADDRESS + i + "/", "Post " + i);
            for (int c = 0; c < i % 3; c++) {
                server.post(t, null, "Comment " + c + " on post " + i);
            }
        }
    }

    @Test
    void keysCostOneStatementOnEachShardTheyAreOn() {
        String query = IntStream.range(0, THREADS).mapToObj(i -> "key=post-" + i).collect(Collectors.joining("&"));

        HttpResponse<String> counts = server.client().get("/counts/default?" + query + "&key=nothing-here");

        assertThat(counts.statusCode()).isEqualTo(200);
        assertThat(counts.body()).contains("\"post-0\":0", "\"post-1\":1", "\"post-2\":2", "\"post-11\":2")
                .doesNotContain("nothing-here");
        Map<String, Integer> perShard = shardStatements(counts);
        Set<String> expected = new TreeSet<>();
        var router = new ShardRouter(server.parley().databases().shardMap().shardCount());
        for (int i = 0; i < THREADS; i++) {
            expected.add(ShardRouter.schemaOf(router.shardOf(server.site().id(), "post-" + i)));
        }
        expected.add(ShardRouter.schemaOf(router.shardOf(server.site().id(), "nothing-here")));
        assertThat(perShard.keySet()).as("only the shards the keys are on").isEqualTo(expected);
        assertThat(perShard.values()).as("one statement each").allMatch(n -> n == 1);
        assertThat(expected).as("the test spans shards").hasSizeGreaterThan(1);
    }

    @Test
    void addressesAskEveryShardOnce() {
        HttpResponse<String> counts = server.client().get("/counts/default?url="
                + encode(ADDRESS + "2/") + "&url=" + encode(ADDRESS + "4/") + "&key=post-1");

        assertThat(counts.body()).contains("\"urls\":{\"" + ADDRESS + "2/\":2,\"" + ADDRESS + "4/\":1}",
                "\"keys\":{\"post-1\":1}");
        Map<String, Integer> perShard = shardStatements(counts);
        assertThat(perShard).hasSize(server.parley().databases().shardMap().shardCount());
        assertThat(perShard.values()).allMatch(n -> n == 1);
    }

    @Test
    void theAnswerIsPublicCacheableAndReadableFromAnyOrigin() {
        HttpResponse<String> counts = server.client().get("/counts/default?key=post-1",
                Map.of("Origin", "https://blog.example"));

        assertThat(counts.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(counts.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(counts.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(counts.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }

    @Test
    void theWordingIsTheReadersLanguagesUnlessTheSiteSetsItsOwn() {
        assertThat(server.client().get("/counts/default?key=post-1&lang=de-AT").body())
                .contains("\"wording\":", "\"zero\":\"Keine Kommentare\"", "\"many\":\"{num} Kommentare\"");
        assertThat(server.client().get("/counts/default?key=post-1&lang=xx").body())
                .contains("\"one\":\"1 comment\"");

        var sites = new SiteRepository(server.parley().databases().main(), server.parley().cache());
        sites.updateCountWording(server.site(), new CountWording("Be the first", null, "{num} replies"));
        try {
            assertThat(server.client().get("/counts/default?key=post-1&lang=de").body())
                    .contains("\"zero\":\"Be the first\"", "\"one\":\"1 Kommentar\"", "\"many\":\"{num} replies\"");
        } finally {
            sites.updateCountWording(server.site(), new CountWording(null, null, null));
        }
    }

    @Test
    void tooManyThreadsAndUnknownSitesAreRefusedClearly() {
        String tooMany = IntStream.range(0, 201).mapToObj(i -> "key=x" + i).collect(Collectors.joining("&"));

        // as count.js asks: JSON, not a page
        HttpResponse<String> refused = org.parley.testing.Http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.base() + "/counts/default?" + tooMany))
                .header("Accept", "application/json").GET().build());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"field\":\"key\"", "At most 200 threads in one request");

        assertThat(server.client().get("/counts/nope?key=a").statusCode()).isEqualTo(404);
    }

    @Test
    void theScriptsAreServedFromTheirFixedAddresses() {
        for (String script : List.of("/disqus/default/embed.js", "/disqus/default/count.js", "/count.js")) {
            HttpResponse<String> js = server.client().get(script);
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
            assertThat(js.body()).contains("document.currentScript");
        }
    }

    /** "s0003/primary=1,main/primary=1" → {s0003: 1}: the statements per shard the request ran. */
    private static Map<String, Integer> shardStatements(HttpResponse<String> response) {
        Map<String, Integer> perShard = new HashMap<>();
        for (String part : response.headers().firstValue("X-Parley-Sql-Targets").orElse("").split(",")) {
            if (part.isBlank() || part.startsWith("main/")) {
                continue;
            }
            String[] kv = part.split("=");
            perShard.merge(kv[0].substring(0, kv[0].indexOf('/')), Integer.parseInt(kv[1]), Integer::sum);
        }
        return perShard;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
