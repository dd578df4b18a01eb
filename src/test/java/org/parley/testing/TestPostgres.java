package org.parley.testing;

import com.codahale.metrics.MetricRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.parley.Config;
import org.parley.data.Databases;
import org.parley.data.DbUrl;
import org.parley.data.Migrations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests (the same binaries the embedded default runs), on a free port with a
 * throwaway data directory. {@link #shared()} is one server for the whole test JVM, handing each test class a
 * fresh database; tests that stop the server start their own with {@link #startNew()}.
 */
public final class TestPostgres implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;

    /** Shard count → the database migrated once for it, copied by {@link #newMigratedDatabase}. */
    private final Map<Integer, String> migratedTemplates = new HashMap<>();
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private TestPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
        // ours, not zonky's: its hook stops the server in parallel with this one, and this one, finding the server
        // already closing, deleted the directory while the server still wrote its shutdown checkpoint into it, so
        // every full run left its 4 GB behind. One hook stops first, then deletes; added before the first start, so
        // that a start that fails leaves nothing behind either.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "test-pg-" + port + "-cleanup"));
        start();
    }

    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = startNew();
        }
        return shared;
    }

    public static TestPostgres startNew() {
        try {
            sweepLeftovers();
            return new TestPostgres(Files.createTempDirectory(PREFIX), FreePort.find());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (or restarts) the server on the same port and data. */
    public synchronized void start() {
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false) // the constructor's hook stops and deletes, in that order
                    .setPort(port)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
        } catch (IOException e) {
            // zonky gave up waiting for it, but the server it launched may still come up: nothing else would stop it
            postmaster(dataDir).ifPresent(ProcessHandle::destroy);
            throw new UncheckedIOException("test PostgreSQL did not start", e);
        }
    }

    /** Stops the server (fast shutdown, like an operator's pg_ctl stop); connections are cut. */
    public synchronized void stop() {
        if (server == null) {
            return; // the first start failed
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty database on this server. */
    public DbUrl newDatabase() {
        return create("");
    }

    /**
     * A new database holding Parley's schema for {@code shards} shards, as {@code parley migrate} leaves it: a copy
     * of a database migrated once per server and shard count. A test class's server then starts without applying
     * ~190 migrations to main and every shard schema, which was seconds of each of about a hundred classes.
     */
    public synchronized DbUrl newMigratedDatabase(int shards) {
        String template = migratedTemplates.computeIfAbsent(shards, this::migratedTemplate);
        // PostgreSQL itself waits (up to 5 s) for the backends of the template's closed connections to exit
        return create(" TEMPLATE " + template);
    }

    private String migratedTemplate(int shards) {
        DbUrl database = newDatabase();
        Config config = TestConfig.load(TestConfig.settingsFor(database, shards));
        try (Databases databases = Databases.open(config.clusters(), config.shardMap(), config.connectTimeout(),
                new MetricRegistry())) {
            Migrations.migrate(databases, shard -> { });
        }
        return database.database();
    }

    private DbUrl create(String options) {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + options);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return DbUrl.parse("test", "postgresql://localhost:" + port + "/" + name);
    }

    public int port() {
        return port;
    }

    public static String user() {
        return "postgres";
    }

    @Override
    /** Stops the server and deletes its data: each test JVM's server holds gigabytes by the end of a full run. */
    public synchronized void close() {
        Optional<ProcessHandle> running = postmaster(dataDir);
        try {
            stop();
        } finally {
            // zonky's stop waits 5 s and then only logs; a server still writing its checkpoint would refill the tree
            running.ifPresent(TestPostgres::awaitExit);
            TempDirs.deleteTree(dataDir);
        }
    }

    private static void awaitExit(ProcessHandle postmaster) {
        try {
            postmaster.onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            postmaster.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String PREFIX = "parley-test-pg";
    /** A data directory this old, without a live server, belongs to no running test (see sweepLeftovers). */
    private static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofMinutes(10);

    /**
     * Deletes the data directories earlier test JVMs left in the temp directory: the shutdown hook that deletes
     * one does not always finish (a JVM killed; before the constructor's hook replaced zonky's, every full run),
     * and each left 4 GB behind, which filled a developer's disk in a day. A directory is swept only
     * when its server is not running (no live process in its postmaster.pid) and nothing has changed in it for
     * ten minutes, so a test JVM running beside this one keeps its own.
     */
    static void sweepLeftovers() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        java.time.Instant before = java.time.Instant.now().minus(ABANDONED_AFTER);
        try (var dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir) && Files.getLastModifiedTime(dir).toInstant().isBefore(before)
                        && !serverRunsIn(dir)) {
                    TempDirs.deleteTree(dir);
                }
            }
        }
    }

    private static boolean serverRunsIn(Path dataDir) {
        return postmaster(dataDir).isPresent();
    }

    /** The live server process of a data directory, from its postmaster.pid. */
    private static Optional<ProcessHandle> postmaster(Path dataDir) {
        try {
            String first = Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().strip();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException noPidFile) {
            return Optional.empty();
        }
    }
}
