package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.testing.MemcachedProcess;
import org.parley.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, defect 3: once a comment's post is acknowledged (the 302), every guest page fetched afterwards — on any
 * instance, in any sort, whether the page is rendered, stored or confirmed by a 304 — shows it, and no page's ETag
 * names a version its content does not reach ({@link WritersAndGuests}: writers posting together and following
 * their redirect, guests revalidating like browsers, through two Parley instances sharing one memcached and one
 * database).
 */
class StalePageIT {
    private static final int WRITERS = 4;
    private static final int GUESTS = 6;
    /** 4 × 12 = 48 top-level comments per thread: all on the first page (50) of every sort. */
    private static final int COMMENTS_PER_WRITER = 12;
    private static final int THREADS = 3;

    private static MemcachedProcess memcached;
    private static TestServer first;
    private static TestServer second;

    @BeforeAll
    static void start() {
        memcached = MemcachedProcess.start();
        // a 1 s timeout: a stall of the shared test machine must not read as a miss (MemcachedCacheIT.RELAXED)
        first = TestServer.start(Map.of("PARLEY_MEMCACHED", memcached.address(), "PARLEY_MEMCACHED_TIMEOUT_MS", "1000"));
        second = TestServer.start(Map.of("PARLEY_MEMCACHED", memcached.address(), "PARLEY_MEMCACHED_TIMEOUT_MS", "1000",
                "PARLEY_DB_URL", first.parley().config().mainCluster().primary().jdbcUrl()));
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (memcached != null) {
            memcached.close();
        }
    }

    @Test
    void everyAcknowledgedCommentIsOnEveryGuestPageFetchedAfterItsWrite() throws Exception {
        var load = new WritersAndGuests(List.of(first.base(), second.base()), WRITERS, GUESTS, COMMENTS_PER_WRITER);
        for (int t = 0; t < THREADS; t++) {
            String key = "stale-" + t;
            load.round(TestServer.standalonePath(key), first.thread(key).version());
        }

        System.out.println("StalePageIT: " + load.figures());
        assertThat(load.misses().size()).as("%s; for example %s", load.figures(), load.misses().stream().limit(10).toList())
                .isZero();
        assertThat(load.ahead().size()).as("%s; for example %s", load.figures(), load.ahead().stream().limit(10).toList())
                .isZero();
    }

    @Test
    void aWriterWhoReportsAnOlderVersionLastDoesNotHideTheNewerComment() {
        CommentThread thread = first.thread("late-report");
        String path = TestServer.standalonePath("late-report") + "?sort=newest";
        first.post(thread, null, "stale-first-comment");
        long older = first.thread("late-report").version();
        assertThat(first.client().get(path).body()).contains("stale-first-comment"); // that version's page is stored
        first.post(thread, null, "stale-second-comment");

        // the first post's writer committed before the second, but tells the cache only now (as a slow instance may)
        new ThreadVersions(first.parley().cache()).written(thread.id(), older);

        for (TestServer instance : List.of(first, second)) {
            HttpResponse<String> page = instance.client().get(path);
            assertThat(page.body()).as("a guest's page on either instance").contains("stale-second-comment");
            String tag = page.headers().firstValue("ETag").orElseThrow();
            assertThat(instance.client().get(path, Map.of("If-None-Match", tag)).statusCode())
                    .as("that page is the current one").isEqualTo(304);
        }
    }
}
