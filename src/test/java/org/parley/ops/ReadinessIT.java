package org.parley.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.ParleyServer;
import org.parley.cache.CacheKeys;
import org.parley.data.PrimaryCircuit;
import org.parley.testing.Http;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;
import org.parley.web.ErrorFilter;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /readyz means "this instance can serve", not "the database answers": with PostgreSQL stopped, the instance stays
 * in the balancer and serves the pages it has in its cache — also once their short-lived cache entries (the
 * thread's version, the site) have expired — while what needs the database answers 503 with Retry-After, with one
 * log line for the whole outage; when PostgreSQL is back everything works without a restart.
 */
class ReadinessIT {
    private static TestPostgres postgres;
    private static ParleyServer server;
    private static String base;
    private final ListAppender<ILoggingEvent> circuitLog = new ListAppender<>();
    private final ListAppender<ILoggingEvent> errorLog = new ListAppender<>();

    @BeforeAll
    static void start() {
        postgres = TestPostgres.startNew();
        Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(postgres.newDatabase(), 4));
        settings.put("PARLEY_PUBLIC_URL", TestServer.ORIGIN);
        settings.put("PARLEY_RATE_LIMITS", "false");
        server = ParleyServer.start(TestConfig.load(settings));
        TestServer.withoutSpamChecks(server);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        postgres.close();
    }

    @AfterEach
    void detachLogs() {
        logger(PrimaryCircuit.class).detachAppender(circuitLog);
        logger(ErrorFilter.class).detachAppender(errorLog);
    }

    @Test
    void withTheDatabaseStoppedTheInstanceStaysReadyServesCachedPagesAndAnswers503ToWrites() {
        String key = "outage";
        WebClient author = new WebClient(base);
        assertThat(author.get(TestServer.embedPath(key)).statusCode()).isEqualTo(200);
        String path = TestServer.standalonePath(key);
        HttpResponse<String> opened = author.post(path, Map.of("name", "Author", "body", "Opening comment"));
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(302);
        assertThat(Http.get(base + path).body()).contains("Opening comment"); // rendered and stored
        assertThat(Http.get(base + TestServer.embedPath(key)).statusCode()).isEqualTo(200);
        watchLogs();

        postgres.stop();

        HttpResponse<String> refused = author.post(path, Map.of("name", "Author", "body", "Written in the outage"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(refused.body()).contains("the database is not answering");
        // pooled connections die with the server one by one; the next attempt to open one finds it unreachable
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> again = author.post(path, Map.of("name", "Author", "body", "Try again"));
            assertThat(again.statusCode()).isEqualTo(503);
            assertThat(again.headers().firstValue("Retry-After")).isPresent();
            HttpResponse<String> ready = Http.get(base + "/readyz");
            assertThat(ready.statusCode()).as("a database outage is no reason to leave the balancer").isEqualTo(200);
            assertThat(ready.body()).startsWith("ready\n").contains("main primary", "unreachable since");
        });
        assertThat(Http.get(base + "/healthz").statusCode()).isEqualTo(200);

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> page = Http.get(base + path);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("Opening comment");
        }
        // the short-lived entries a cached page needs expire during a longer outage: it is still served
        expireShortLivedEntries(key);
        HttpResponse<String> stale = Http.get(base + path);
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(200);
        assertThat(stale.body()).contains("Opening comment");
        assertThat(stale.headers().firstValue("Cache-Control")).as("a stale page is not kept").hasValue("no-store");
        assertThat(stale.headers().firstValue("ETag")).isEmpty();
        HttpResponse<String> staleEmbed = Http.get(base + TestServer.embedPath(key));
        assertThat(staleEmbed.statusCode()).as(staleEmbed.body()).isEqualTo(200);
        assertThat(staleEmbed.body()).contains("Opening comment");

        HttpResponse<String> uncached = Http.get(base + TestServer.standalonePath("never-seen"));
        assertThat(uncached.statusCode()).as("what is not in the cache needs the database").isEqualTo(503);
        assertThat(uncached.headers().firstValue("Retry-After")).isPresent();

        assertThat(messages(circuitLog, Level.WARN)).as("one warning for the whole outage").hasSize(1)
                .first().asString().contains("unreachable");
        assertThat(messages(errorLog, Level.ERROR)).as("no stack trace per request").isEmpty();

        postgres.start();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> back = author.post(path, Map.of("name", "Author", "body", "After the outage"));
            assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        });
        // A post in the seconds the server is starting up can fail on its shard and still reach main a moment
        // later: it is spooled (302 to its "saved" page) and replayed within a second or two, never lost or doubled.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Http.get(base + path).body())
                .contains("Opening comment").containsOnlyOnce("After the outage"));
        HttpResponse<String> settled = author.post(path, Map.of("name", "Author", "body", "Once it is back"));
        assertThat(settled.statusCode()).as(settled.body()).isEqualTo(302);
        assertThat(settled.headers().firstValue("Location")).as("written at once, not spooled")
                .hasValueSatisfying(location -> assertThat(location).doesNotContain("/saved"));
        assertThat(author.get(path).body()).as("its author sees it at once").contains("Once it is back");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(messages(circuitLog, Level.INFO))
                .as("one line when it ends").filteredOn(m -> m.contains("reachable again")).hasSize(1));
        assertThat(messages(circuitLog, Level.WARN)).hasSize(1);
        assertThat(Http.get(base + "/readyz").body()).isEqualTo("ready\n");
    }

    @Test
    void readinessNeedsNoDatabaseConnection() {
        var pool = server.databases().primaryServer("main").pool();
        List<java.sql.Connection> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                held.add(pool.getConnection());
            }
            HttpResponse<String> ready = Http.get(base + "/readyz");
            assertThat(ready.statusCode()).as("every pool connection is taken: " + ready.body()).isEqualTo(200);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        } finally {
            held.forEach(c -> {
                try {
                    c.close();
                } catch (java.sql.SQLException e) {
                    // returned broken: the pool replaces it
                }
            });
        }
    }

    /** What expires after a minute: the thread's version and the site entries (their last-known copies stay). */
    private static void expireShortLivedEntries(String key) {
        var cache = server.cache();
        String threadId = cache.get(CacheKeys.of("thread-id", "default", key)).orElseThrow();
        cache.delete(CacheKeys.of("threadver", threadId));
        for (String kind : List.of("site-by-name", "site-origins")) {
            cache.delete(CacheKeys.of(kind, "v1", "default"));
        }
    }

    private void watchLogs() {
        Logger circuit = logger(PrimaryCircuit.class);
        circuit.setLevel(Level.INFO);
        circuitLog.start();
        circuit.addAppender(circuitLog);
        errorLog.start();
        logger(ErrorFilter.class).addAppender(errorLog);
    }

    private static Logger logger(Class<?> type) {
        return (Logger) LoggerFactory.getLogger(type);
    }

    private static List<String> messages(ListAppender<ILoggingEvent> appender, Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
