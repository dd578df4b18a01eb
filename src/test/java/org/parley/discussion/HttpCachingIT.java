package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.discussion.FragmentCacheIT.sqlCount;

/**
 * Guests' thread pages are shared: an ETag of the thread's version, {@code public} with a short {@code s-maxage}
 * and no Set-Cookie, and a matching If-None-Match — anyone's — answers 304 from Memcached alone, with no SQL,
 * until a write bumps the version. A signed-in viewer whose browser runs thread.js gets the same page privately;
 * one without script gets their own page, {@code no-store}.
 */
class HttpCachingIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClassWithMemcached();

    @Test
    void aMatchingConditionalGetAnswers304WithoutSqlUntilACommentIsPosted() {
        server.post(server.thread("etag"), null, "The first");
        String path = TestServer.standalonePath("etag");
        WebClient guest = server.client();
        HttpResponse<String> page = guest.get(path);
        String etag = page.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"t\\d+-v\\d+-[0-9a-f]{16}\"");
        assertThat(page.headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=0, s-maxage=10, stale-while-revalidate=30");
        // no edge configured (PARLEY_EDGE=none): nothing for one (edge.VarnishEdgeIT has them)
        assertThat(page.headers().firstValue("Surrogate-Key")).isEmpty();
        assertThat(page.headers().firstValue("Surrogate-Control")).isEmpty();
        // the page's own, and the compression handler's (a cache keeps a gzipped and a plain copy apart)
        assertThat(String.join(", ", page.headers().allValues("Vary"))).contains("Cookie, Accept-Language")
                .contains("Accept-Encoding");
        assertThat(page.headers().allValues("Set-Cookie")).isEmpty();

        HttpResponse<String> again = guest.get(path, Map.of("If-None-Match", etag));

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(sqlCount(again)).isZero();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);

        server.post(server.thread("etag"), null, "A newer one");
        HttpResponse<String> changed = guest.get(path, Map.of("If-None-Match", etag));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).contains("A newer one");
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
    }

    @Test
    void theEmbedIsSharedTooSoAnotherGuestsTagMatches() {
        String path = TestServer.embedPath("etag-embed");
        WebClient guest = server.client();
        guest.get(path);
        String etag = guest.get(path).headers().firstValue("ETag").orElseThrow();

        assertThat(sqlCount(guest.get(path, Map.of("If-None-Match", etag)))).isZero();
        HttpResponse<String> other = server.client().get(path, Map.of("If-None-Match", etag));
        assertThat(other.statusCode()).as("the same page for every guest").isEqualTo(304);
        assertThat(sqlCount(other)).isZero();
        assertThat(other.headers().firstValue("Cache-Control")).hasValue(PageTags.PUBLIC_CACHE_CONTROL);
    }

    @Test
    void aSignedInViewersPageIsNeverStored() {
        WebClient member = server.client();
        member.get("/signup");
        member.post("/signup", Map.of("email", "etag@example.com", "name", "Etag", "password", "correct horse battery"));

        server.thread("etag-member");
        String path = TestServer.standalonePath("etag-member");
        HttpResponse<String> page = member.get(path);

        assertThat(page.headers().firstValue("Cache-Control")).as("without script: their own page").hasValue("no-store");
        assertThat(page.headers().firstValue("ETag")).isEmpty();

        member.setCookie("parley_js", "1");
        HttpResponse<String> shared = member.get(path);
        assertThat(shared.headers().firstValue("Cache-Control")).as("with script: the shared page, privately")
                .hasValue("private, no-cache");
        String etag = shared.headers().firstValue("ETag").orElseThrow();
        assertThat(server.client().get(path).headers().firstValue("ETag")).hasValue(etag);
        HttpResponse<String> again = member.get(path, Map.of("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(sqlCount(again)).isZero();
    }
}
