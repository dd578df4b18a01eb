package org.parley.testing;

import org.parley.data.DbUrl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One PostgreSQL server from the OS packages ({@code /usr/lib/postgresql/N/bin}, installed by
 * {@code scripts/install-deps test}) on a free port of 127.0.0.1, with its data in a temporary directory. Unlike
 * {@link TestPostgres} (zonky's bundle, which has no {@code pg_basebackup}), it can be a streaming replica, so
 * {@link PgCluster} builds primaries and replicas from it.
 *
 * <p>The postmaster is this JVM's child and is stopped by its process id: {@link #stop()} sends SIGINT (fast
 * shutdown: open connections are cut, as an operator's {@code pg_ctl stop}), {@link #crash()} SIGQUIT
 * (immediate shutdown, recovery on next start). PostgreSQL refuses to run as root, so when the tests run as
 * root the server runs as the OS user {@code postgres} (the package creates it) through {@code setpriv}.
 */
public final class PgServer implements AutoCloseable {
    /** The database superuser initdb creates; trust authentication on loopback only. */
    public static final String USER = "postgres";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path root;
    private final Path dataDir;
    private final Path logFile;
    private final int port;
    private final Map<String, String> settings;
    private Process process;

    private PgServer(Path root, int port, Map<String, String> settings) {
        this.root = root;
        this.dataDir = root.resolve("data");
        this.logFile = root.resolve("server.log");
        this.port = port;
        this.settings = Map.copyOf(settings);
        // a test JVM that dies without @AfterAll must not leave PostgreSQL behind; only this server is stopped
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "pg-" + port + "-cleanup"));
    }

    /** Runs initdb in a fresh temporary directory and starts the server with {@code settings} on its command line. */
    static PgServer initdb(Map<String, String> settings) {
        PgServer server = new PgServer(newRoot(), FreePort.find(), settings);
        run(server.root, List.of(bin("initdb"), "-D", server.dataDir.toString(), "-U", USER, "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"));
        server.start();
        return server;
    }

    /**
     * Copies {@code primary} with {@code pg_basebackup -R} (which writes standby.signal and primary_conninfo) and
     * starts the copy as its streaming replica. {@code autoConf} lines go to postgresql.auto.conf, where
     * {@code ALTER SYSTEM} can change them later (command-line settings would win over ALTER SYSTEM).
     */
    static PgServer basebackup(PgServer primary, Map<String, String> settings, Map<String, String> autoConf) {
        PgServer replica = new PgServer(newRoot(), FreePort.find(), settings);
        run(replica.root, List.of(bin("pg_basebackup"), "-h", "127.0.0.1", "-p", Integer.toString(primary.port),
                "-U", USER, "-D", replica.dataDir.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync"));
        try {
            StringBuilder lines = new StringBuilder();
            autoConf.forEach((k, v) -> lines.append(k).append(" = '").append(v).append("'\n"));
            Files.writeString(replica.dataDir.resolve("postgresql.auto.conf"), lines.toString(),
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        replica.start();
        return replica;
    }

    /** Starts (or restarts, after {@link #stop}) the server on the same port and data; returns once it accepts queries. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("PostgreSQL on port " + port + " already runs (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>(asPostgresUser());
        command.addAll(List.of(bin("postgres"), "-D", dataDir.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + root));
        settings.forEach((k, v) -> command.addAll(List.of("-c", k + "=" + v)));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start on port " + port, e);
        }
        awaitReady();
    }

    /** Fast shutdown (SIGINT): sessions are cut, the server exits cleanly. No-op when it is not running. */
    public synchronized void stop() {
        signalAndWait("-INT");
    }

    /** Immediate shutdown (SIGQUIT), as a crash: the next start runs crash recovery. */
    public synchronized void crash() {
        signalAndWait("-QUIT");
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** The postmaster's process id while it runs. */
    public synchronized long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** The address of {@code database} on this server, as PARLEY_DB_URL takes it. */
    public DbUrl url(String database) {
        return DbUrl.parse("test", "postgresql://127.0.0.1:" + port + "/" + database);
    }

    /** A JDBC connection as the superuser; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database).jdbcUrl(), USER, "");
    }

    /** Runs one statement on {@code database}. */
    public void execute(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("port " + port + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of {@code sql} on {@code database}, as text (null for SQL NULL). */
    public String queryText(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("port " + port + ": no row from " + sql);
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("port " + port + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row of {@code sql} on {@code database}, as text. */
    public List<String> queryColumn(String database, String sql) {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("port " + port + ": " + sql + ": " + e.getMessage(), e);
        }
        return values;
    }

    /** The server's log so far (for assertion messages when something went wrong). */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        stop();
        TempDirs.deleteTree(root);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL on port " + port + " exited at start with status "
                        + process.exitValue() + "; its log:\n" + tail(log()));
            }
            try (Connection ignored = connect("postgres")) {
                return;
            } catch (SQLException e) {
                last = e; // starting up, or a replica not yet consistent
                pause(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("PostgreSQL on port " + port + " did not accept connections within "
                + READY_TIMEOUT.toSeconds() + " s (" + (last == null ? "" : last.getMessage()) + "); its log:\n"
                + tail(log()));
    }

    private void signalAndWait(String signal) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            kill.waitFor();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("PostgreSQL (pid " + process.pid() + ") ignored kill " + signal);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping PostgreSQL on port " + port, e);
        }
    }

    private synchronized void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            // the JVM is exiting; nothing better to do than try the next server
        }
    }

    /** The directory of the newest PostgreSQL major version from the OS packages. */
    static Path binDir() {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(base) ? Files.list(base) : Stream.empty()) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/pg_basebackup")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("No PostgreSQL server binaries under " + base
                            + ": run scripts/install-deps test (it installs the postgresql package)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String bin(String name) {
        return binDir().resolve(name).toString();
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** PostgreSQL will not run as root: run it, and the tools that write its files, as the OS user postgres. */
    private static List<String> asPostgresUser() {
        return root() ? List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups") : List.of();
    }

    private static Path newRoot() {
        try {
            Path root = Files.createTempDirectory("parley-pg");
            if (root()) {
                UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(root, users.lookupPrincipalByName("postgres"));
            }
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for a test PostgreSQL (is there an OS user"
                    + " 'postgres'? scripts/install-deps test creates it)", e);
        }
    }

    private static void run(Path root, List<String> tool) {
        List<String> command = new ArrayList<>(asPostgresUser());
        command.addAll(tool);
        Path output = root.resolve("tool.log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", tool) + " did not finish in 2 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", tool) + " failed (status " + p.exitValue() + "):\n"
                        + tail(Files.readString(output)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + tool.getFirst(), e);
        }
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : "…" + log.substring(log.length() - 4000);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
        }
    }

    @Override
    public String toString() {
        return "PgServer[127.0.0.1:" + port + ", " + dataDir + "]";
    }
}
