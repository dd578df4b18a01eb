package org.parley.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.testing.Http;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool of two connections: a burst of posts queues for them (each waits up to PARLEY_DB_CONNECT_TIMEOUT_MS), and a
 * request that still gets none is told 503 with Retry-After — never 500 — with nothing half-written. A busy pool is
 * not an outage: once a connection is free, requests are served at once.
 */
class PoolExhaustionIT {
    private static final int BURST = 64;
    private static TestServer server;

    @BeforeAll
    static void start() {
        // two cores shared with other test JVMs: a generous wait, so the burst queues rather than times out
        server = TestServer.start(Map.of("PARLEY_DB_POOL_SIZE", "2", "PARLEY_DB_CONNECT_TIMEOUT_MS", "15000"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBurstOfPostsQueuesForTheTwoConnectionsAndNoneFails() throws Exception {
        String path = thread("burst");
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService visitors = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < BURST; i++) {
                String body = "Burst comment " + i;
                answers.add(visitors.submit(() -> guestPost(path, body)));
            }
        }
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            byStatus.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() != 302) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
            }
        }
        System.out.printf("[measure] pool of 2, %d posts at once: answers by status %s%n", BURST, byStatus);
        assertThat(byStatus).as("queued, not refused").containsOnlyKeys(302);
        assertThat(countComments(path)).isEqualTo(BURST);
    }

    @Test
    void withEveryConnectionTakenAPostIsTold503WithRetryAfterAndServedOnceOneIsFree() throws SQLException {
        String path = thread("held");
        var pool = server.parley().databases().primaryServer("main").pool();
        long before = countComments(path);
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                held.add(pool.getConnection());
            }
            pool.getHikariConfigMXBean().setConnectionTimeout(500); // do not wait 15 s for the answer
            HttpResponse<String> busy = guestPost(path, "While the pool is taken");
            assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(busy.body()).contains("too busy");
            assertThat(Http.get(server.base() + "/readyz").statusCode()).isEqualTo(200);
        } finally {
            for (Connection c : held) {
                c.close();
            }
            pool.getHikariConfigMXBean().setConnectionTimeout(15_000);
        }
        HttpResponse<String> served = guestPost(path, "Once one is free");
        assertThat(served.statusCode()).as("a busy pool is no outage: " + served.body()).isEqualTo(302);
        assertThat(countComments(path)).as("nothing half-written").isEqualTo(before + 1);
    }

    private static String thread(String key) {
        WebClient author = server.client();
        assertThat(author.get(TestServer.embedPath(key)).statusCode()).isEqualTo(200);
        return TestServer.standalonePath(key);
    }

    private static HttpResponse<String> guestPost(String path, String body) {
        String form = "name=Guest&body=" + URLEncoder.encode(body, StandardCharsets.UTF_8);
        return Http.send(HttpRequest.newBuilder(URI.create(server.base() + path))
                .timeout(java.time.Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", server.base())
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    }

    private static long countComments(String path) {
        String key = path.substring(path.lastIndexOf('/') + 1);
        return server.thread(key).commentCount();
    }
}
