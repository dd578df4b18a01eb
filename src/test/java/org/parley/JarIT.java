package org.parley;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.data.DbUrl;
import org.parley.testing.FreePort;
import org.parley.testing.Http;
import org.parley.testing.JarProcess;
import org.parley.testing.TestPostgres;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar as an operator meets it: {@code java -jar parley.jar} with nothing configured, and every kind of
 * wrong start, each of which must end in one clear sentence and a non-zero exit status.
 */
class JarIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern PASSWORD = Pattern.compile("password: (\\S+)");

    @Test
    void theEmbeddedDefaultServesKeepsItsDataAndStopsCleanly(@TempDir Path dir) throws Exception {
        int port = FreePort.find();
        Map<String, String> settings = Map.of("PARLEY_PORT", Integer.toString(port));

        String password;
        try (JarProcess first = JarProcess.start(dir, settings)) {
            first.awaitStdout("Parley is ready: open http://localhost:" + port + "/", START);
            Matcher m = PASSWORD.matcher(first.stdout());
            assertThat(m.find()).as("the administrator's password is printed on first start").isTrue();
            password = m.group(1);
            assertThat(password).hasSize(20);

            var home = Http.get("http://127.0.0.1:" + port + "/");
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).contains("Skip to content", "Default site");
            assertThat(Http.get("http://127.0.0.1:" + port + "/healthz").statusCode()).isEqualTo(200);
            assertThat(Http.get("http://127.0.0.1:" + port + "/readyz").statusCode()).isEqualTo(200);
            assertThat(Files.isDirectory(dir.resolve("parley-data/postgres"))).isTrue();

            assertThat(first.terminate()).as("SIGTERM is a normal stop").isZero();
            assertThat(dir.resolve("parley-data/postgres/postmaster.pid")).as("PostgreSQL stopped too").doesNotExist();
        }

        try (JarProcess second = JarProcess.start(dir, settings)) {
            second.awaitStdout("Parley is ready", START);
            assertThat(second.stdout()).as("the password is shown only once").doesNotContain(password, "password:");
            assertThat(Http.get("http://127.0.0.1:" + port + "/").body()).contains("Default site");
            assertThat(second.terminate()).isZero();
        }
    }

    @Test
    void againstARunningPostgreSQLItStartsAndReportsItsStartUpTime(@TempDir Path dir) {
        DbUrl database = TestPostgres.shared().newDatabase();
        int port = FreePort.find();
        try (JarProcess jar = JarProcess.start(dir, external(database, port))) {
            jar.awaitStdout("Parley is ready", START);
            Matcher startup = Pattern.compile("Parley started in (\\d+) ms").matcher(jar.stderr());
            assertThat(startup.find()).isTrue();
            System.out.println("[measure] jar start-up against a running PostgreSQL (64 shards, first run): "
                    + startup.group(1) + " ms");
            assertThat(Http.get("http://127.0.0.1:" + port + "/readyz").statusCode()).isEqualTo(200);
            jar.terminate();
        }
        var jsonLogs = new HashMap<>(external(database, port));
        jsonLogs.put("PARLEY_LOG_FORMAT", "json");
        try (JarProcess again = JarProcess.start(dir, jsonLogs)) {
            again.awaitStdout("Parley is ready", START);
            Matcher startup = Pattern.compile("Parley started in (\\d+) ms").matcher(again.stderr());
            assertThat(startup.find()).isTrue();
            System.out.println("[measure] jar start-up against a running PostgreSQL (64 shards, schema current): "
                    + startup.group(1) + " ms");

            Http.get("http://127.0.0.1:" + port + "/healthz", "X-Request-Id", "json-log-1");
            again.terminate();
            String accessLine = again.stderr().lines().filter(l -> l.contains("json-log-1")).findFirst().orElseThrow();
            assertThat(accessLine).startsWith("{").endsWith("}")
                    .contains("\"loggerName\":\"parley.access\"", "\"requestId\":\"json-log-1\"", "{\"status\":\"200\"}");
        }
    }

    @Test
    void helpListsTheCommandsAndEverySettingWithItsDefault(@TempDir Path dir) {
        JarProcess help = JarProcess.run(dir, Map.of(), "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("serve", "migrate", "bench-data", "--config=FILE",
                "PARLEY_PORT", "default: 8080", "PARLEY_DB_URL", "PARLEY_SHARDS", "default: 64 (8 with the embedded PostgreSQL)",
                "PARLEY_SHARD_MAP", "PARLEY_LOG_FORMAT");
        assertThat(help.stdout()).as("the embedded database's durability, and the risk of the fast mode")
                .contains("PARLEY_EMBEDDED_DURABILITY", "default: durable", "a crash of the machine can lose the last comments");
    }

    @Test
    void anUnknownCommandIsNamed(@TempDir Path dir) {
        assertFailsCleanly(JarProcess.run(dir, Map.of(), "frobnicate"), 2,
                "parley: Unknown command 'frobnicate'; the commands are serve, migrate");
    }

    @Test
    void benchDataSaysWhatIsWrongWithItsOptionsAndThatItNeedsADatabase(@TempDir Path dir) {
        assertFailsCleanly(JarProcess.run(dir, Map.of(), "bench-data", "--jobs", "0"), 2,
                "parley: --jobs must be between 1 and 64, got 0");
        assertFailsCleanly(JarProcess.run(dir, Map.of(), "bench-data", "--threads", "200"), 2,
                "parley: bench-data writes into the PostgreSQL named by PARLEY_DB_URL; set it.");
    }

    @Test
    void anUnknownSettingIsNamedWithASuggestion(@TempDir Path dir) {
        assertFailsCleanly(JarProcess.run(dir, Map.of("PARLEY_PROT", "8080")), 2,
                "parley: Unknown setting PARLEY_PROT; did you mean PARLEY_PORT?");
    }

    @Test
    void aMalformedDatabaseUrlSaysWhatItShouldLookLike(@TempDir Path dir) {
        assertFailsCleanly(JarProcess.run(dir, Map.of("PARLEY_DB_URL", "localhost/parley")), 2,
                "parley: PARLEY_DB_URL must look like postgresql://host:5432/database");
    }

    @Test
    void anUnreachableDatabaseIsNamed(@TempDir Path dir) {
        int nobody = FreePort.find();
        assertFailsCleanly(JarProcess.run(dir, Map.of("PARLEY_DB_URL", "postgresql://127.0.0.1:" + nobody + "/parley",
                        "PARLEY_DB_CONNECT_TIMEOUT_MS", "1000")), 1,
                "parley: Cannot connect to PostgreSQL main primary at 127.0.0.1:" + nobody + "/parley as user 'parley'");
    }

    @Test
    void anUnwritableDataDirectoryIsNamed(@TempDir Path dir) throws Exception {
        Path aFile = Files.writeString(dir.resolve("not-a-directory"), "x");
        assertFailsCleanly(JarProcess.run(dir, Map.of("PARLEY_DATA_DIR", aFile.resolve("data").toString())), 1,
                "parley: Cannot write to the data directory " + aFile.resolve("data"));
    }

    @Test
    void aPortInUseIsNamed(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            var settings = new HashMap<>(external(TestPostgres.shared().newDatabase(), taken.getLocalPort()));
            settings.put("PARLEY_HOST", "0.0.0.0");
            assertFailsCleanly(JarProcess.run(dir, settings), 1,
                    "parley: Port " + taken.getLocalPort() + " on 0.0.0.0 is already in use");
        }
    }

    @Test
    void aTrainingRunWritesAnAotCacheThatTheJvmUses(@TempDir Path dir) throws Exception {
        try (JarProcess training = JarProcess.start(dir, Map.of(), "aot-cache", "--out", "parley.aot",
                "--seconds", "5")) {
            assertThat(training.waitForExit(Duration.ofMinutes(3))).as("stderr:\n" + training.stderr()).isZero();
            assertThat(training.stdout()).contains("aot-cache: wrote " + dir.resolve("parley.aot"),
                    "-XX:AOTCache=" + dir.resolve("parley.aot"));
        }
        assertThat(dir.resolve("parley.aot")).isRegularFile();
        assertThat(dir.resolve("parley.aot").toFile().length()).as("classes and profiles").isGreaterThan(10_000_000);

        // AOTMode=on makes the JVM refuse to start when it cannot use the cache (another jar, another JDK)
        try (JarProcess withCache = JarProcess.run(dir, Map.of("JDK_JAVA_OPTIONS",
                "-XX:AOTCache=" + dir.resolve("parley.aot") + " -XX:AOTMode=on"), "--version")) {
            assertThat(withCache.exitCode()).as("stderr:\n" + withCache.stderr()).isZero();
            assertThat(withCache.stdout()).startsWith("Parley ");
        }
        // which is a real check: a file that is no cache for this jar is refused
        Path notACache = Files.writeString(dir.resolve("other.aot"), "not an AOT cache");
        try (JarProcess refused = JarProcess.run(dir, Map.of("JDK_JAVA_OPTIONS",
                "-XX:AOTCache=" + notACache + " -XX:AOTMode=on"), "--version")) {
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.stderr() + refused.stdout()).contains("Unable to use AOT cache");
        }
        assertFailsCleanly(JarProcess.run(dir, Map.of(), "aot-cache", "--seconds", "2"), 2,
                "parley: --seconds must be between 5 and 600, got 2.");
    }

    private static Map<String, String> external(DbUrl database, int port) {
        return Map.of(
                "PARLEY_DB_URL", database.jdbcUrl(),
                "PARLEY_DB_USER", TestPostgres.user(),
                "PARLEY_PORT", Integer.toString(port),
                "PARLEY_HOST", "127.0.0.1");
    }

    private static void assertFailsCleanly(JarProcess jar, int exitCode, String message) {
        assertThat(jar.exitCode()).as("exit status; stderr:\n" + jar.stderr()).isEqualTo(exitCode);
        assertThat(jar.stderr()).contains(message);
        assertThat(jar.stderr() + jar.stdout()).as("no stack trace").doesNotContain("\tat ", "Exception:");
    }
}
