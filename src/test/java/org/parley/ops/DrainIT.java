package org.parley.ops;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.data.DbUrl;
import org.parley.testing.FreePort;
import org.parley.testing.Http;
import org.parley.testing.JarProcess;
import org.parley.testing.TestPostgres;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * How the jar stops. SIGTERM (systemd, a deploy script): /readyz fails at once, everything else is still served
 * for PARLEY_DRAIN_SECONDS, then new connections are refused, requests in flight finish, and it exits 0.
 * Ctrl-C (SIGINT) skips the wait; a second signal cuts a drain short.
 */
class DrainIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static DbUrl database;

    @BeforeAll
    static void database() {
        database = TestPostgres.shared().newDatabase();
    }

    @Test
    void sigtermFailsReadinessKeepsServingThenFinishesTheRequestInFlightAndExitsZero(@TempDir Path dir) throws Exception {
        int port = FreePort.find();
        int drainSeconds = 12; // room for a loaded machine's slow signal handling before the checks below
        try (JarProcess jar = start(dir, port, drainSeconds);
             Connection locker = DriverManager.getConnection(database.jdbcUrl(), TestPostgres.user(), "")) {
            String base = "http://127.0.0.1:" + port;
            // a request in flight: its thread lookup waits for a lock the test holds, as a slow query would
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE s0000.thread, s0001.thread, s0002.thread, s0003.thread IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() ->
                    Http.send(HttpRequest.newBuilder(URI.create(base + "/t/default/in-flight"))
                            .timeout(Duration.ofSeconds(60)).build()));
            pause(500);
            assertThat(inFlight).isNotDone();

            jar.terminateAsync();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                var ready = Http.get(base + "/readyz");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("draining");
            });
            assertThat(Http.get(base + "/").statusCode()).as("pages are still served while draining").isEqualTo(200);
            assertThat(Http.get(base + "/healthz").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> !accepts(port));
            assertThat(jar.isAlive()).as("still finishing the request in flight").isTrue();
            locker.rollback();

            HttpResponse<String> answered = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).as("the request in flight got its whole answer; stderr:\n" + jar.stderr())
                    .isEqualTo(404);
            assertThat(answered.body()).contains("No such discussion.");
            assertThat(jar.waitForExit(Duration.ofSeconds(30))).isZero();
            assertThat(jar.stderr()).contains("Draining: /readyz answers 503; serving requests for " + drainSeconds + " s more");
        }
    }

    @Test
    void ctrlCStopsWithoutWaitingForABalancer(@TempDir Path dir) throws IOException {
        // a test run started in the background by a shell without job control ignores SIGINT, and so does every
        // process it starts: the JVM then installs no handler and Ctrl-C cannot reach the jar at all
        assumeFalse(sigintIgnored(), "SIGINT is ignored in this run (started in the background by a shell)");
        int port = FreePort.find();
        try (JarProcess jar = start(dir, port, 120)) {
            jar.interrupt();
            // a drain would take 120 s; waitForExit fails the test after 30
            assertThat(jar.waitForExit(Duration.ofSeconds(30))).isZero();
            assertThat(jar.stderr()).contains("Stopping Parley").doesNotContain("Draining");
        }
    }

    @Test
    void aSecondSignalCutsTheDrainShort(@TempDir Path dir) {
        int port = FreePort.find();
        try (JarProcess jar = start(dir, port, 120)) {
            jar.terminateAsync();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    Http.get("http://127.0.0.1:" + port + "/readyz").statusCode() == 503);
            jar.terminateAsync();
            assertThat(jar.waitForExit(Duration.ofSeconds(30))).isZero();
            assertThat(jar.stderr()).contains("Draining");
        }
    }

    private static JarProcess start(Path dir, int port, int drainSeconds) {
        Map<String, String> settings = new HashMap<>();
        settings.put("PARLEY_DB_URL", database.jdbcUrl());
        settings.put("PARLEY_DB_USER", TestPostgres.user());
        // two cores shared by many test JVMs: a connection can take seconds to open
        settings.put("PARLEY_DB_CONNECT_TIMEOUT_MS", "10000");
        settings.put("PARLEY_SHARDS", "4");
        settings.put("PARLEY_HOST", "127.0.0.1");
        settings.put("PARLEY_PORT", Integer.toString(port));
        settings.put("PARLEY_DRAIN_SECONDS", Integer.toString(drainSeconds));
        JarProcess jar = JarProcess.start(dir, settings);
        jar.awaitStdout("Parley is ready", START);
        return jar;
    }

    private static boolean accepts(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether this process ignores SIGINT (SigIgn in /proc/self/status), which the jars it starts then inherit. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("SigIgn:"))
                .map(line -> Long.parseLong(line.substring("SigIgn:".length()).strip(), 16))
                .anyMatch(mask -> (mask & (1L << 1)) != 0); // SIGINT is signal 2: bit 1
    }
}
