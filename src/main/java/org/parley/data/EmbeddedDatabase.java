package org.parley.data;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.parley.config.StartupException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The embedded default's own PostgreSQL: real server binaries from Maven Central (zonky), data under
 * {@code <data dir>/postgres} kept across restarts, listening on localhost only, log in
 * {@code <data dir>/postgres.log}.
 *
 * Durable by default: zonky starts PostgreSQL with {@code -F} (fsync off) and {@code synchronous_commit=off}, fine
 * for throwaway test databases and wrong for a comment a visitor was told is saved — a power failure would lose it.
 * So both are turned back on; {@link Durability#FAST} (PARLEY_EMBEDDED_DURABILITY=fast) keeps zonky's settings for
 * demos and development only.
 *
 * Running as root: PostgreSQL refuses to, so zonky starts initdb and postgres inside a user namespace
 * ({@code unshare -U}) where they are not root. Where namespaces are blocked, start fails with a message
 * saying to run as an ordinary user or to set PARLEY_DB_URL.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String DATABASE = "parley";
    public static final String USER = "postgres";

    /** PARLEY_EMBEDDED_DURABILITY. */
    public enum Durability {
        /** fsync and synchronous commits: an acknowledged write survives a crash or a power failure. */
        DURABLE,
        /**
         * fsync off and asynchronous commits: faster writes, but a crash of the machine (not only of Parley) can
         * lose the last acknowledged comments or corrupt the database. Never for real visitors.
         */
        FAST
    }

    private final EmbeddedPostgres postgres;
    private final DbUrl url;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.url = DbUrl.parse("embedded", "postgresql://localhost:" + postgres.getPort() + "/" + DATABASE);
    }

    /** The embedded default: durable. */
    public static EmbeddedDatabase start(Path dataDir) {
        return start(dataDir, Durability.DURABLE);
    }

    public static EmbeddedDatabase start(Path dataDir, Durability durability) {
        boolean durable = durability == Durability.DURABLE;
        Path pgData = dataDir.resolve("postgres");
        ensureWritable(dataDir);
        refuseIfStillRunning(pgData);
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "200")
                    // after zonky's -F on the command line, so these win (PostgreSQL applies the last value given)
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new StartupException("The embedded PostgreSQL did not start (" + StartupException.rootMessage(e)
                    + "); see " + dataDir.resolve("postgres.log") + ". Where user namespaces are blocked, run Parley "
                    + "as an ordinary user or point PARLEY_DB_URL at a PostgreSQL server.", e);
        }
        createDatabase(postgres);
        if (!durable) {
            log.warn("The embedded PostgreSQL runs with fsync and synchronous_commit off (PARLEY_EMBEDDED_DURABILITY="
                    + "fast): a crash of this machine can lose the last comments or corrupt {}. Not for real visitors.",
                    pgData.toAbsolutePath().normalize());
        }
        return new EmbeddedDatabase(postgres);
    }

    private static void ensureWritable(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path probe = Files.createTempFile(dataDir, ".write-check", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartupException("Cannot write to the data directory " + dataDir.toAbsolutePath()
                    + " (" + StartupException.rootMessage(e) + "); set PARLEY_DATA_DIR to a writable directory.", e);
        }
    }

    /** A previous run killed with SIGKILL leaves its postgres behind; starting over it would fail obscurely. */
    private static void refuseIfStillRunning(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.getFirst().strip());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new StartupException("The embedded PostgreSQL of an earlier run is still running (pid " + pid
                        + ") on " + pgData.toAbsolutePath() + ", perhaps under another Parley; stop that one first "
                        + "(kill " + pid + ").");
            }
        } catch (IOException | NumberFormatException | java.util.NoSuchElementException e) {
            // a stale or half-written pid file: PostgreSQL itself will deal with it
        }
    }

    private static void createDatabase(EmbeddedPostgres postgres) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new StartupException("Cannot create the database '" + DATABASE + "' in the embedded PostgreSQL: "
                    + e.getMessage(), e);
        }
    }

    public DbUrl url() {
        return url;
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("stopping the embedded PostgreSQL failed", e);
        }
    }
}
