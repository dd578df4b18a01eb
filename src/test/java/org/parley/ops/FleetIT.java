package org.parley.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.data.DbUrl;
import org.parley.testing.FreePort;
import org.parley.testing.JarProcess;
import org.parley.testing.MemcachedProcess;
import org.parley.testing.ProxyProcess;
import org.parley.testing.TestPostgres;
import org.parley.testing.WebClient;
import org.parley.web.KeyRing;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deployment the issue asks for, with real programs: PostgreSQL, memcached, two Parley jars sharing them
 * and their session keys, HAProxy and nginx from the repository's configs. A signed-in visitor keeps posting and
 * reading through nginx while instance A is killed (SIGKILL) and restarted, and instance B is drained (SIGTERM)
 * and restarted: a rolling restart under load.
 */
class FleetIT {
    private static final Duration START = Duration.ofSeconds(90);
    /** Parley's default: HAProxy needs up to ~1.5 s (haproxy.cfg's checks) to take B out, and a loaded machine more. */
    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final String THREAD = "/t/default/fleet";
    private static final String NAME = "Fleet Tester";
    private static final Pattern MORE = Pattern.compile("class=\"more\"><a href=\"([^\"]+)\"");

    /** One request of the visitor's loop: when it ended, and what went wrong (null = fine). */
    private record Outcome(long atNanos, String failure) {
    }

    @Test
    void aSignedInVisitorKeepsPostingWhileOneInstanceIsKilledAndTheOtherDrained(@TempDir Path dir) throws Exception {
        DbUrl database = TestPostgres.shared().newDatabase();
        int portA = FreePort.find();
        int portB = FreePort.find();
        int statsPort = FreePort.find();
        int nginxPort = FreePort.find();
        String publicUrl = "http://127.0.0.1:" + nginxPort;
        String sessionKey = Base64.getEncoder().encodeToString(KeyRing.generateKey());

        try (MemcachedProcess memcached = MemcachedProcess.start()) {
            Map<String, String> shared = new HashMap<>();
            shared.put("PARLEY_DB_URL", database.jdbcUrl());
            shared.put("PARLEY_DB_USER", TestPostgres.user());
            // two cores shared by many test JVMs: a connection can take seconds to open
            shared.put("PARLEY_DB_CONNECT_TIMEOUT_MS", "10000");
            shared.put("PARLEY_SHARDS", "8");
            shared.put("PARLEY_HOST", "127.0.0.1");
            shared.put("PARLEY_PUBLIC_URL", publicUrl);
            shared.put("PARLEY_MEMCACHED", memcached.address());
            shared.put("PARLEY_SESSION_KEYS", sessionKey);
            shared.put("PARLEY_TRUSTED_PROXIES", "127.0.0.1/32");
            shared.put("PARLEY_DRAIN_SECONDS", Long.toString(DRAIN.toSeconds()));
            // one visitor posts as fast as it can: the per-account limit (5 a minute) would refuse it
            shared.put("PARLEY_RATE_LIMITS", "false");

            withoutSpamChecks(dir.resolve("migrate"), shared, database);
            JarProcess a = startInstance(dir.resolve("a"), shared, portA);
            JarProcess b = startInstance(dir.resolve("b"), shared, portB);
            try (ProxyProcess haproxy = ProxyProcess.haproxy(dir.resolve("haproxy"), statsPort, List.of(portA, portB));
                 ProxyProcess nginx = ProxyProcess.nginx(dir.resolve("nginx"), haproxy.port(), nginxPort)) {
                awaitState(statsPort, "app1", "UP");
                awaitState(statsPort, "app2", "UP");

                WebClient visitor = new WebClient(nginx.base());
                var embed = visitor.get("/embed/default?key=fleet&url=" + enc(publicUrl + "/fleet"));
                assertThat(embed.statusCode()).as(embed.body() + "\nnginx:\n" + nginx.output() + "\nhaproxy:\n"
                        + haproxy.output() + "\nA:\n" + a.stderr() + "\nB:\n" + b.stderr()).isEqualTo(200);
                visitor.get("/signup");
                var signedUp = visitor.post("/signup", Map.of("name", NAME, "email", "fleet@example.com",
                        "password", "correct horse battery", "return", THREAD));
                assertThat(signedUp.statusCode()).as(signedUp.body()).isEqualTo(302);

                var outcomes = new ConcurrentLinkedQueue<Outcome>();
                var acknowledged = new ConcurrentLinkedQueue<String>();
                var running = new AtomicBoolean(true);
                Thread loop = Thread.ofPlatform().name("fleet-visitor").start(() ->
                        keepPostingAndReading(visitor, running, outcomes, acknowledged));

                pause(Duration.ofSeconds(3));
                long killed = System.nanoTime();
                a.kill();
                awaitState(statsPort, "app1", "DOWN");
                long markedDown = System.nanoTime();
                pause(Duration.ofSeconds(2));

                a = startInstance(dir.resolve("a"), shared, portA);
                awaitState(statsPort, "app1", "UP");
                pause(Duration.ofSeconds(2));

                long drainStarted = System.nanoTime();
                b.terminateAsync();
                awaitState(statsPort, "app2", "DOWN");
                assertThat(b.isAlive()).as("HAProxy takes B out while B still serves (the drain)").isTrue();
                assertThat(b.waitForExit(Duration.ofSeconds(30))).as("a drained instance exits 0").isZero();
                assertThat(b.stderr()).contains("Draining: /readyz answers 503");
                b = startInstance(dir.resolve("b"), shared, portB);
                awaitState(statsPort, "app2", "UP");
                pause(Duration.ofSeconds(2));

                running.set(false);
                loop.join(Duration.ofSeconds(30).toMillis());

                List<Outcome> all = new ArrayList<>(outcomes);
                List<Outcome> failed = all.stream().filter(o -> o.failure() != null).toList();
                long beforeDown = failed.stream().filter(o -> o.atNanos() >= killed && o.atNanos() < markedDown).count();
                List<Outcome> afterDown = failed.stream().filter(o -> o.atNanos() >= markedDown).toList();
                long duringDrain = afterDown.stream().filter(o -> o.atNanos() >= drainStarted).count();
                List<String> counters = ProxyProcess.haproxyServer(statsPort, "parley", "BACKEND");
                System.out.printf("[measure] fleet: %d requests through nginx → HAProxy → 2 instances; failed: %d "
                                + "between SIGKILL of A and HAProxy marking it down (%.1f s), %d after (of which %d "
                                + "during B's drain); %d comments acknowledged; HAProxy retries %s, redispatches %s%n",
                        all.size(), beforeDown, (markedDown - killed) / 1e9, afterDown.size(), duringDrain,
                        acknowledged.size(), counters.get(1), counters.get(2));

                failed.forEach(o -> System.out.printf("[measure] fleet: failed %.1f s after the SIGKILL: %s%n",
                        (o.atNanos() - killed) / 1e9, o.failure()));
                assertThat(failed.stream().filter(o -> o.atNanos() < killed).toList()).as("before anything happened").isEmpty();
                assertThat(afterDown).as("no failure once HAProxy knows, nor during the drain").isEmpty();
                assertThat(acknowledged).hasSizeGreaterThan(20);
                Set<String> onPage = allCommentBodies(visitor);
                assertThat(onPage).as("every acknowledged comment is on the page").containsAll(acknowledged);
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /**
     * The visitor: post a comment, then read the thread, again and again. A post counts as acknowledged only on
     * its redirect; a page read must still show the visitor signed in, whichever instance served it.
     */
    private static void keepPostingAndReading(WebClient visitor, AtomicBoolean running,
                                              ConcurrentLinkedQueue<Outcome> outcomes,
                                              ConcurrentLinkedQueue<String> acknowledged) {
        boolean haveForm = record(outcomes, () -> page(visitor.get(THREAD)));
        for (int n = 1; running.get(); n++) {
            String body = "Fleet comment number " + n;
            if (haveForm) {
                record(outcomes, () -> {
                    HttpResponse<String> posted = visitor.post(THREAD, Map.of("body", body));
                    if (posted.statusCode() != 302) {
                        return "POST " + posted.statusCode();
                    }
                    acknowledged.add(body);
                    return null;
                });
            }
            haveForm = record(outcomes, () -> page(visitor.get(THREAD + "?sort=newest")));
            pause(Duration.ofMillis(10));
        }
    }

    private static String page(HttpResponse<String> page) {
        if (page.statusCode() != 200) {
            return "GET " + page.statusCode();
        }
        if (!page.body().contains("Commenting as " + NAME)) {
            return "GET 200 but signed out";
        }
        return null;
    }

    /** Runs one request; true when it went fine. A refused or reset connection is a failure like a 502. */
    private static boolean record(ConcurrentLinkedQueue<Outcome> outcomes, java.util.function.Supplier<String> request) {
        String failure;
        try {
            failure = request.get();
        } catch (RuntimeException e) {
            failure = e.toString();
        }
        outcomes.add(new Outcome(System.nanoTime(), failure));
        return failure == null;
    }

    /** Every comment body on the thread, following "Load more comments" to the end. */
    private static Set<String> allCommentBodies(WebClient visitor) {
        Set<String> bodies = new LinkedHashSet<>();
        Pattern comment = Pattern.compile("Fleet comment number \\d+");
        String path = THREAD;
        for (int pages = 0; path != null && pages < 1000; pages++) {
            String html = visitor.get(path).body();
            comment.matcher(html).results().forEach(m -> bodies.add(m.group()));
            Matcher more = MORE.matcher(html);
            path = more.find() ? more.group(1).replace("&amp;", "&") : null;
        }
        return bodies;
    }

    /**
     * One visitor posting as fast as it can is what the spam heuristics catch (more than 5 comments a minute):
     * migrate first, then let the default site be created with them off, as TestServer does for every test.
     */
    private static void withoutSpamChecks(Path dir, Map<String, String> shared, DbUrl database) throws Exception {
        JarProcess migrate = JarProcess.run(dir, shared, "migrate");
        assertThat(migrate.exitCode()).as(migrate.stderr()).isZero();
        try (var connection = java.sql.DriverManager.getConnection(database.jdbcUrl(), TestPostgres.user(), "");
             var statement = connection.createStatement()) {
            statement.execute("ALTER TABLE main.site ALTER COLUMN spam_checks SET DEFAULT false");
        }
    }

    private static JarProcess startInstance(Path dir, Map<String, String> shared, int port) {
        Map<String, String> settings = new HashMap<>(shared);
        settings.put("PARLEY_PORT", Integer.toString(port));
        JarProcess jar = JarProcess.start(dir, settings);
        jar.awaitStdout("Parley is ready", START);
        return jar;
    }

    private static void awaitState(int statsPort, String server, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                ProxyProcess.haproxyServer(statsPort, "parley", server).getFirst().equals(state));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
