package org.parley.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.FreePort;
import org.parley.testing.Http;
import org.parley.testing.JarProcess;
import org.parley.testing.MemcachedProcess;
import org.parley.testing.PgCluster;
import org.parley.testing.PgServer;
import org.parley.testing.ProxyProcess;
import org.parley.testing.TestServer;
import org.parley.web.KeyRing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Defects 13 and 14 of issue 12, with real programs: two Parley jars behind the shipped HAProxy config, a real
 * PostgreSQL primary with a streaming replica, and memcached. Some thread pages are warmed; then, while visitors
 * send about {@link #RATE} requests a second (reads of those pages, and one in {@link #POST_EVERY} a post to other
 * threads), the primary is stopped for
 * {@link #OUTAGE} and started again. What must hold: HAProxy keeps both instances in (readiness is not the
 * database), cached pages are answered throughout, posts are answered 503 with Retry-After (never 500), everything
 * works again without a restart, and every comment acknowledged with a redirect is in the database afterwards.
 * The figures go to stdout as {@code [measure]} lines.
 */
class DatabaseOutageIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration BEFORE = Duration.ofSeconds(3);
    private static final Duration AFTER = Duration.ofSeconds(5);
    private static final int RATE = 30;
    /** One request in this many is a post; the rest read a warmed page. */
    private static final int POST_EVERY = 10;
    /** The threads visitors read: warmed, then in the cache at their current version throughout. */
    private static final List<String> KEYS = List.of("outage-a", "outage-b", "outage-c", "outage-d");
    /**
     * Where the posts go. Not one of the pages read: each post makes its thread's pages render anew, and this test is
     * about serving what is cached while the database is away, not about how fast a loaded 2-core machine renders.
     */
    private static final List<String> POST_KEYS = List.of("outage-posts-1", "outage-posts-2");
    private static final String BODY = "Outage test comment ";

    private enum Phase { BEFORE, OUTAGE, RECOVERING, AFTER }

    /** One request: in which phase it was sent (a post sent just before the stop may be refused), what came back. */
    private record Answer(Phase phase, String method, int status, boolean retryAfter, String sqlCount, String detail) {
    }

    /** When the test began, for the times in unexpected answers' details. */
    private static final long T0 = System.nanoTime();

    private static String at() {
        return String.format(java.util.Locale.ROOT, "t=%.1fs", (System.nanoTime() - T0) / 1e9);
    }

    @Test
    void withThePrimaryStoppedCachedPagesAreServedPostsAnswer503AndNothingAcknowledgedIsLost(@TempDir Path dir)
            throws Exception {
        try (PgCluster pg = PgCluster.start(); MemcachedProcess memcached = MemcachedProcess.start()) {
            String db = pg.createDatabase();
            PgServer replica = pg.addReplica();
            int portA = FreePort.find();
            int portB = FreePort.find();
            int statsPort = FreePort.find();
            Map<String, String> shared = new HashMap<>();
            shared.put("PARLEY_DB_URL", pg.url(db).jdbcUrl());
            shared.put("PARLEY_DB_USER", PgServer.USER);
            shared.put("PARLEY_DB_REPLICAS", replica.url(db).jdbcUrl());
            shared.put("PARLEY_REPLICA_POLL_MS", "500");
            shared.put("PARLEY_SHARDS", "8");
            shared.put("PARLEY_HOST", "127.0.0.1");
            shared.put("PARLEY_PUBLIC_URL", TestServer.ORIGIN);
            shared.put("PARLEY_MEMCACHED", memcached.address());
            // this test is about the database going away: a loaded machine's slow memcached answer must not read
            // as a miss during the outage, when only the cache can answer
            shared.put("PARLEY_MEMCACHED_TIMEOUT_MS", "2000");
            shared.put("PARLEY_SESSION_KEYS", Base64.getEncoder().encodeToString(KeyRing.generateKey()));
            shared.put("PARLEY_TRUSTED_PROXIES", "127.0.0.1/32");
            shared.put("PARLEY_DRAIN_SECONDS", "1");
            shared.put("PARLEY_RATE_LIMITS", "false"); // every visitor here comes from 127.0.0.1
            shared.put("PARLEY_DEV_MODE", "true"); // X-Parley-Sql-Count tells a cached answer from a rendered one

            // both migrate as they start (advisory locks make that safe), as a fleet's first start does
            JarProcess a = JarProcess.start(dir.resolve("a"), withPort(shared, portA));
            JarProcess b = JarProcess.start(dir.resolve("b"), withPort(shared, portB));
            try (ProxyProcess haproxy = ProxyProcess.haproxy(dir.resolve("haproxy"), statsPort, List.of(portA, portB))) {
                a.awaitStdout("Parley is ready", START);
                b.awaitStdout("Parley is ready", START);
                // visitors here all post from 127.0.0.1, which the spam heuristics would rightly hold
                pg.primary().execute(db, "UPDATE main.site SET spam_checks = false");
                awaitUp(statsPort, "app1");
                awaitUp(statsPort, "app2");
                String base = haproxy.base();
                warm(base);

                var answers = new ConcurrentLinkedQueue<Answer>();
                var acknowledged = new ConcurrentLinkedQueue<String>();
                var phase = new AtomicReference<>(Phase.BEFORE);
                var running = new AtomicBoolean(true);
                var leftRotation = concurrentSet();
                Thread watcher = Thread.ofVirtual().start(() -> watchHaproxy(statsPort, running, leftRotation));
                Thread visitors = Thread.ofPlatform().name("outage-visitors").start(() ->
                        visit(base, running, phase, answers, acknowledged));

                pause(BEFORE);
                phase.set(Phase.OUTAGE);
                long stopped = System.nanoTime();
                System.out.println("[measure] outage: primary stopped at " + at());
                pg.primary().stop();
                pause(OUTAGE.minusNanos(System.nanoTime() - stopped));
                phase.set(Phase.RECOVERING);
                System.out.println("[measure] outage: primary started at " + at());
                pg.primary().start(); // returns once it accepts connections
                long restarted = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        answers.stream().anyMatch(r -> r.phase() == Phase.RECOVERING && r.method().equals("POST")
                                && r.status() == 302));
                double firstPost = (System.nanoTime() - restarted) / 1e9;
                // each instance finds the primary again by itself (a probe a second): "after" is once both have
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        List.of(portA, portB).stream().noneMatch(port ->
                                Http.get("http://127.0.0.1:" + port + "/readyz").body().contains("unreachable")));
                double recovery = (System.nanoTime() - restarted) / 1e9;
                phase.set(Phase.AFTER);
                pause(AFTER);
                running.set(false);
                visitors.join(Duration.ofSeconds(60));
                watcher.join(Duration.ofSeconds(5));

                List<Answer> all = new ArrayList<>(answers);
                Set<String> present = storedBodies(pg.primary(), db);
                report(all, acknowledged, present, firstPost, recovery, leftRotation);
                keepLogs(Map.of("a.stderr", a.stderr(), "b.stderr", b.stderr(), "haproxy.log", haproxy.output()));

                assertThat(leftRotation).as("HAProxy kept both instances in rotation throughout").isEmpty();
                List<Answer> outageGets = of(all, Phase.OUTAGE, "GET");
                assertThat(outageGets).as("reads of warmed pages during the outage").hasSizeGreaterThan(RATE * 10)
                        .allSatisfy(r -> assertThat(r.status()).as(r.detail()).isEqualTo(200));
                List<Answer> outagePosts = of(all, Phase.OUTAGE, "POST");
                assertThat(outagePosts).as("posts during the outage").isNotEmpty()
                        .allSatisfy(r -> assertThat(r.status() == 302 || r.status() == 503 && r.retryAfter())
                                .as("302, or 503 with Retry-After: " + r).isTrue());
                assertThat(outagePosts).as("the database is down: posts are refused").anyMatch(r -> r.status() == 503);
                assertThat(all).as("no request anywhere answered 500 or failed at HAProxy")
                        .noneMatch(r -> r.status() >= 500 && r.status() != 503);
                assertThat(of(all, Phase.AFTER, "POST")).as("posting works again without a restart").isNotEmpty()
                        .allSatisfy(r -> assertThat(r.status()).as(r.detail()).isEqualTo(302));
                assertThat(of(all, Phase.AFTER, "GET")).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
                assertThat(present).as("every acknowledged comment is in the database").containsAll(acknowledged);
                for (JarProcess jar : List.of(a, b)) {
                    String log = jar.stderr();
                    assertThat(log).as("no stack trace per request").doesNotContain("Unhandled error", "\tat ");
                    assertThat(log.lines().filter(l -> l.contains("WARN") && l.contains("is unreachable")).count())
                            .as("one warning per outage:\n" + log).isLessThanOrEqualTo(1);
                    assertThat(log).as("jOOQ's version check is quiet (PostgreSQL 15)").doesNotContain("Version mismatch");
                }
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /** Creates each thread through the embed, gives it a comment, and reads it so its pages are in memcached. */
    private static void warm(String base) {
        for (String key : POST_KEYS) {
            assertThat(Http.get(base + TestServer.embedPath(key)).statusCode()).isEqualTo(200);
        }
        for (String key : KEYS) {
            assertThat(Http.get(base + TestServer.embedPath(key)).statusCode()).isEqualTo(200);
            HttpResponse<String> posted = post(base, key, "Opening comment of " + key);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        }
        for (int round = 0; round < 3; round++) { // through HAProxy: both instances, every variant read
            for (String key : KEYS) {
                assertThat(Http.get(base + TestServer.standalonePath(key)).statusCode()).isEqualTo(200);
                assertThat(Http.get(base + TestServer.embedPath(key)).statusCode()).isEqualTo(200);
            }
        }
    }

    /** About RATE requests a second, each on its own virtual thread so a slow answer does not slow the rest. */
    private static void visit(String base, AtomicBoolean running, AtomicReference<Phase> phase,
                              ConcurrentLinkedQueue<Answer> answers, ConcurrentLinkedQueue<String> acknowledged) {
        var sent = new AtomicInteger();
        long interval = Duration.ofSeconds(1).toNanos() / RATE;
        long next = System.nanoTime();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            while (running.get()) {
                int n = sent.incrementAndGet();
                Phase now = phase.get();
                boolean post = n % POST_EVERY == 0;
                List<String> keys = post ? POST_KEYS : KEYS;
                String key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                requests.submit(() -> answers.add(post ? posting(base, key, now, n, acknowledged)
                        : reading(base, key, now, n)));
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    pauseNanos(wait);
                }
            }
        }
    }

    private static Answer reading(String base, String key, Phase phase, int n) {
        String path = n % 2 == 0 ? TestServer.standalonePath(key) : TestServer.embedPath(key);
        String sent = at();
        try {
            HttpResponse<String> page = Http.get(base + path);
            boolean complete = page.statusCode() != 200 || page.body().contains("Opening comment of " + key);
            return new Answer(phase, "GET", complete ? page.statusCode() : -1, page.headers().firstValue("Retry-After").isPresent(),
                    page.headers().firstValue("X-Parley-Sql-Count").orElse("?"), "GET " + path + " → "
                            + page.statusCode() + (complete ? "" : " without the page's comment") + " " + snippet(page));
        } catch (RuntimeException e) {
            return new Answer(phase, "GET", -2, false, "?", sent + " GET " + path + " → " + e);
        }
    }

    private static Answer posting(String base, String key, Phase phase, int n, ConcurrentLinkedQueue<String> acknowledged) {
        String body = BODY + n;
        try {
            HttpResponse<String> posted = post(base, key, body);
            if (posted.statusCode() == 302) {
                acknowledged.add(body);
            }
            return new Answer(phase, "POST", posted.statusCode(), posted.headers().firstValue("Retry-After").isPresent(),
                    "?", "POST " + key + " → " + posted.statusCode() + " " + snippet(posted));
        } catch (RuntimeException e) {
            return new Answer(phase, "POST", -2, false, "?", "POST " + key + " → " + e);
        }
    }

    /** A guest's post from the page's own form (no JavaScript): Origin is Parley's, as a browser sends it. */
    private static HttpResponse<String> post(String base, String key, String body) {
        String form = "name=Outage+Tester&body=" + URLEncoder.encode(body, StandardCharsets.UTF_8);
        return Http.send(HttpRequest.newBuilder(URI.create(base + TestServer.standalonePath(key)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    }

    /** Records every time HAProxy shows an instance as anything but UP. */
    private static void watchHaproxy(int statsPort, AtomicBoolean running, Set<String> leftRotation) {
        while (running.get()) {
            for (String server : List.of("app1", "app2")) {
                String state = ProxyProcess.haproxyServer(statsPort, "parley", server).getFirst();
                if (!state.startsWith("UP")) {
                    leftRotation.add(server + " " + state);
                }
            }
            pause(Duration.ofMillis(250));
        }
    }

    private static void report(List<Answer> all, ConcurrentLinkedQueue<String> acknowledged, Set<String> present,
                               double firstPost, double recovery, Set<String> leftRotation) {
        List<Answer> gets = of(all, Phase.OUTAGE, "GET");
        long answered = gets.stream().filter(r -> r.status() == 200).count();
        long fromCache = gets.stream().filter(r -> r.status() == 200 && r.sqlCount().equals("0")).count();
        System.out.printf("[measure] outage: primary stopped %d s behind HAProxy, 2 instances, %d requests at ~%d/s"
                + " (%d during the outage)%n", OUTAGE.toSeconds(), all.size(), RATE,
                all.stream().filter(r -> r.phase() == Phase.OUTAGE).count());
        System.out.printf("[measure] outage: GETs of warmed pages during the outage: %d, answered 200: %d (%.1f%%), of"
                + " which without any SQL (from the cache): %d (%.1f%% of all GETs)%n", gets.size(), answered,
                percent(answered, gets.size()), fromCache, percent(fromCache, gets.size()));
        System.out.printf("[measure] outage: POSTs during the outage by status: %s; 503s with Retry-After: %d%n",
                byStatus(of(all, Phase.OUTAGE, "POST")),
                of(all, Phase.OUTAGE, "POST").stream().filter(r -> r.status() == 503 && r.retryAfter()).count());
        System.out.printf("[measure] outage: by the phase requests were sent in — before (posts in flight at the stop"
                + " are refused): %s; while recovering: %s; after: %s%n",
                byStatusAndMethod(all, Phase.BEFORE), byStatusAndMethod(all, Phase.RECOVERING),
                byStatusAndMethod(all, Phase.AFTER));
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(present);
        System.out.printf("[measure] outage: comments acknowledged (302): %d, in the database afterwards: %d, lost: %d%n",
                acknowledged.size(), acknowledged.stream().filter(present::contains).count(), lost.size());
        System.out.printf("[measure] outage: after the primary accepted connections again: first acknowledged post %.1f s,"
                + " both instances reconnected %.1f s; HAProxy took an instance out: %s%n", firstPost, recovery,
                leftRotation.isEmpty() ? "never" : leftRotation);
        all.stream().filter(r -> r.status() != 200 && r.status() != 302 && r.status() != 503).limit(10)
                .forEach(r -> System.out.println("[measure] outage: unexpected: " + r));
    }

    /** The instances' and HAProxy's logs, kept in target/ for a look after the run (the temp dir is deleted). */
    private static void keepLogs(Map<String, String> logs) throws java.io.IOException {
        Path dir = Path.of("target", "outage-logs");
        java.nio.file.Files.createDirectories(dir);
        for (var log : logs.entrySet()) {
            java.nio.file.Files.writeString(dir.resolve(log.getKey()), log.getValue());
        }
        System.out.println("[measure] outage: logs of both instances and HAProxy in " + dir.toAbsolutePath());
    }

    private static Set<String> storedBodies(PgServer primary, String db) throws Exception {
        Set<String> bodies = new HashSet<>();
        try (Connection c = primary.connect(db); Statement s = c.createStatement()) {
            for (int shard = 0; shard < 8; shard++) {
                try (ResultSet rs = s.executeQuery(String.format("SELECT body_source FROM s%04d.comment"
                        + " WHERE body_source LIKE '%s%%'", shard, BODY))) {
                    while (rs.next()) {
                        bodies.add(rs.getString(1));
                    }
                }
            }
        }
        return bodies;
    }

    private static List<Answer> of(List<Answer> all, Phase phase, String method) {
        return all.stream().filter(r -> r.phase() == phase && r.method().equals(method)).toList();
    }

    private static Map<Integer, Long> byStatus(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()));
    }

    private static String byStatusAndMethod(List<Answer> all, Phase phase) {
        return "GET " + byStatus(of(all, phase, "GET")) + ", POST " + byStatus(of(all, phase, "POST"));
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static String snippet(HttpResponse<String> response) {
        if (response.statusCode() < 400) {
            return "";
        }
        String text = response.body().replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private static Map<String, String> withPort(Map<String, String> shared, int port) {
        Map<String, String> settings = new HashMap<>(shared);
        settings.put("PARLEY_PORT", Integer.toString(port));
        return settings;
    }

    private static Set<String> concurrentSet() {
        return java.util.concurrent.ConcurrentHashMap.newKeySet();
    }

    private static void awaitUp(int statsPort, String server) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                ProxyProcess.haproxyServer(statsPort, "parley", server).getFirst().equals("UP"));
    }

    private static void pause(Duration duration) {
        pauseNanos(duration.toNanos());
    }

    private static void pauseNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
