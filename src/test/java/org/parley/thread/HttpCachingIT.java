package org.parley.thread;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.testing.MemcachedProcess;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.thread.FragmentCacheIT.sqlCount;

/**
 * Guests' thread pages carry an ETag of the thread's version and are revalidated by the browser
 * ({@code private, no-cache}: they hold the visitor's CSRF token); a matching If-None-Match answers 304 from
 * Memcached alone, with no SQL, until a write bumps the version. Signed-in pages are {@code no-store}.
 */
class HttpCachingIT {
    private static MemcachedProcess memcached;
    private static TestServer server;

    @BeforeAll
    static void start() {
        memcached = MemcachedProcess.start();
        server = TestServer.start(Map.of("PARLEY_MEMCACHED", memcached.address(), "PARLEY_MEMCACHED_TIMEOUT_MS", "1000"));
    }

    @AfterAll
    static void stop() {
        server.close();
        memcached.close();
    }

    @Test
    void aMatchingConditionalGetAnswers304WithoutSqlUntilACommentIsPosted() {
        server.post(server.thread("etag"), null, "The first");
        String path = TestServer.standalonePath("etag");
        WebClient guest = server.client();
        HttpResponse<String> page = guest.get(path);
        String etag = page.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"t\\d+-v\\d+-[0-9a-f]{16}\"");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue(PageTags.GUEST_CACHE_CONTROL);

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
    void theEmbedIsRevalidatedTooAndAnotherVisitorsTagDoesNotMatch() {
        String path = TestServer.embedPath("etag-embed");
        WebClient guest = server.client();
        guest.get(path);
        String etag = guest.get(path).headers().firstValue("ETag").orElseThrow();

        assertThat(sqlCount(guest.get(path, Map.of("If-None-Match", etag)))).isZero();
        HttpResponse<String> other = server.client().get(path, Map.of("If-None-Match", etag));
        assertThat(other.statusCode()).as("their page holds another token").isEqualTo(200);
    }

    @Test
    void aSignedInViewersPageIsNeverStored() {
        WebClient member = server.client();
        member.get("/signup");
        member.post("/signup", Map.of("email", "etag@example.com", "name", "Etag", "password", "correct horse battery"));

        HttpResponse<String> page = member.get(TestServer.standalonePath("etag-member"));

        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("ETag")).isEmpty();
    }
}
