package org.parley.cache;

import org.junit.jupiter.api.Test;
import org.parley.discussion.CommentThread;
import org.parley.testing.EventStream;
import org.parley.testing.FreePort;
import org.parley.testing.RedisProcess;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whole Parley instances with PARLEY_REDIS_URL: the cached thread page costs no SQL and follows a new comment;
 * instances start and serve without Redis, keep answering pages and taking comments from PostgreSQL when it is
 * killed in the middle of traffic, use it again when it returns, and share live updates and rate limits through it.
 */
class RedisParleyIT {
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    /** See CacheContract.RELAXED: a stalled call on a busy test machine must not read as a miss here. */
    private static final String RELAXED_MS = Long.toString(CacheContract.RELAXED.toMillis());

    @Test
    void theCachedThreadPageCostsNoSqlAndShowsANewCommentAfterItIsPosted() {
        try (RedisProcess redis = RedisProcess.start();
             TestServer parley = TestServer.start(Map.of("PARLEY_REDIS_URL", redis.url(),
                     "PARLEY_REDIS_TIMEOUT_MS", RELAXED_MS))) {
            parley.post(parley.thread("cached"), null, "First comment");
            String path = TestServer.standalonePath("cached");
            WebClient guest = parley.client();
            assertThat(guest.get(path).body()).contains("First comment");
            HttpResponse<String> again = guest.get(path);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(sqlCount(again)).as("version, site and page from Redis").isZero();
            assertThat(redis.cli("dbsize")).as("what Parley stored is in this Redis").isNotEqualTo("0");

            HttpResponse<String> posted = guest.post(path, Map.of("name", "Guest", "body", "Second comment"));
            assertThat(posted.statusCode()).isEqualTo(302);
            HttpResponse<String> after = guest.get(path);
            assertThat(after.body()).contains("First comment").contains("Second comment");
            assertThat(sqlCount(guest.get(path))).as("the new version stored in its turn").isZero();
        }
    }

    @Test
    void parleyStartsAndServesWithRedisDown() {
        try (TestServer parley = TestServer.start(Map.of(
                "PARLEY_REDIS_URL", "redis://127.0.0.1:" + FreePort.find(),
                "PARLEY_RATE_LIMITS", "true"))) {
            WebClient visitor = parley.client();
            assertThat(visitor.get(TestServer.embedPath("no-cache")).statusCode()).isEqualTo(200);

            HttpResponse<String> posted = visitor.post(TestServer.embedPath("no-cache"),
                    Map.of("name", "Guest", "body", "Posted while Redis is down"));
            assertThat(posted.statusCode()).as("rate limits fail open").isEqualTo(302);
            HttpResponse<String> page = visitor.get(TestServer.standalonePath("no-cache"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Posted while Redis is down");
            assertThat(sqlCount(page)).as("the site from PostgreSQL each time").isEqualTo(3);
        }
    }

    @Test
    void aRedisKilledInTheMiddleOfTrafficCostsNoFailedRequestAndIsUsedAgainWhenItReturns() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             TestServer parley = TestServer.start(Map.of("PARLEY_REDIS_URL", redis.url(),
                     "PARLEY_REDIS_TIMEOUT_MS", RELAXED_MS))) {
            parley.post(parley.thread("busy"), null, "Before the crash");
            String path = TestServer.standalonePath("busy");
            AtomicBoolean going = new AtomicBoolean(true);
            AtomicInteger pages = new AtomicInteger();
            List<String> posted = new ArrayList<>();
            var failures = new ConcurrentLinkedQueue<String>();
            try (var traffic = Executors.newFixedThreadPool(3)) {
                List<Future<?>> work = new ArrayList<>();
                for (int reader = 0; reader < 2; reader++) {
                    work.add(traffic.submit(() -> {
                        WebClient guest = parley.client();
                        while (going.get()) {
                            HttpResponse<String> page = guest.get(path);
                            pages.incrementAndGet();
                            if (page.statusCode() != 200 || !page.body().contains("Before the crash")) {
                                failures.add("GET " + page.statusCode());
                            }
                        }
                    }));
                }
                work.add(traffic.submit(() -> {
                    WebClient writer = parley.client();
                    for (int i = 0; going.get() && i < 30; i++) { // 30 at most: all on the page's first page
                        String body = "Posted in round " + i;
                        HttpResponse<String> answer = writer.post(path, Map.of("name", "Guest", "body", body));
                        if (answer.statusCode() == 302) {
                            synchronized (posted) {
                                posted.add(body);
                            }
                        } else {
                            failures.add("POST " + answer.statusCode());
                        }
                        sleep(100);
                    }
                }));
                await().atMost(RECOVERY).until(() -> pages.get() >= 20);
                redis.kill();
                int atKill = pages.get();
                await().atMost(RECOVERY).until(() -> pages.get() >= atKill + 40 && postedCount(posted) >= 10);
                going.set(false);
                for (var w : work) {
                    w.get();
                }
            }
            assertThat(failures).as("every page answered and every post taken while Redis died").isEmpty();

            WebClient guest = parley.client();
            HttpResponse<String> during = guest.get(path);
            assertThat(sqlCount(during)).as("from PostgreSQL while Redis is gone").isPositive();
            for (String body : posted) {
                assertThat(during.body()).contains(body);
            }

            redis.startAgain();
            await().atMost(RECOVERY).until(() -> sqlCount(guest.get(path)) == 0);
            assertThat(guest.get(path).body()).contains(posted.getLast());
        }
    }

    @Test
    void aReaderOnOneInstanceHearsOfACommentPostedOnAnotherThroughRedis() throws Exception {
        try (RedisProcess redis = RedisProcess.start();
             TestServer first = TestServer.start(Map.of("PARLEY_REDIS_URL", redis.url(),
                     "PARLEY_REDIS_TIMEOUT_MS", RELAXED_MS));
             TestServer second = TestServer.start(Map.of("PARLEY_REDIS_URL", redis.url(),
                     "PARLEY_REDIS_TIMEOUT_MS", RELAXED_MS,
                     "PARLEY_DB_URL", first.parley().config().mainCluster().primary().jdbcUrl()))) {
            CommentThread thread = first.thread("live");
            try (EventStream stream = EventStream.open(second.base() + "/live/" + thread.id() + "?v=" + thread.version())) {
                assertThat(stream.next()).startsWith("retry: ");

                HttpResponse<String> posted = first.client().post(TestServer.standalonePath("live"),
                        Map.of("name", "Guest", "body", "Heard on the other instance"));
                assertThat(posted.statusCode()).isEqualTo(302);

                long now = first.thread("live").version();
                assertThat(stream.awaitLine("data: ", Duration.ofSeconds(10)))
                        .as("the second instance's poller read the new version from Redis")
                        .isEqualTo("data: {\"version\":" + now + "}");
            }
        }
    }

    @Test
    void twoInstancesShareOneSignInLockout() {
        try (RedisProcess redis = RedisProcess.start();
             TestServer first = TestServer.start(Map.of("PARLEY_REDIS_URL", redis.url(),
                     "PARLEY_REDIS_TIMEOUT_MS", RELAXED_MS, "PARLEY_RATE_LIMITS", "true"));
             TestServer second = TestServer.start(Map.of("PARLEY_REDIS_URL", redis.url(),
                     "PARLEY_REDIS_TIMEOUT_MS", RELAXED_MS, "PARLEY_RATE_LIMITS", "true",
                     "PARLEY_DB_URL", first.parley().config().mainCluster().primary().jdbcUrl()))) {
            WebClient onFirst = first.client();
            WebClient onSecond = second.client();
            for (int i = 0; i < 5; i++) {
                WebClient client = i % 2 == 0 ? onFirst : onSecond;
                client.get("/signin");
                HttpResponse<String> wrong = client.post("/signin",
                        Map.of("email", "target@example.org", "password", "guess " + i));
                assertThat(wrong.statusCode()).isEqualTo(401);
            }

            onFirst.get("/signin");
            HttpResponse<String> locked = onFirst.post("/signin",
                    Map.of("email", "target@example.org", "password", "guess 6"));

            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(locked.body()).contains("There have been too many failed sign-ins to this account.");
        }
    }

    private static int postedCount(List<String> posted) {
        synchronized (posted) {
            return posted.size();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int sqlCount(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }
}
