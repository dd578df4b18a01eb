package org.parley.testing;

import org.parley.data.DbUrl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A physical PostgreSQL cluster for tests: a primary and any number of streaming replicas made with
 * {@code pg_basebackup -R}, all real OS PostgreSQL processes on loopback (see {@link PgServer}).
 *
 * <pre>{@code
 * try (PgCluster pg = PgCluster.start()) {
 *     String db = pg.createDatabase();                      // on the primary, before replicas copy it
 *     PgServer replica = pg.addReplica(Duration.ofSeconds(3)); // applies each commit 3 s late
 *     ... PARLEY_DB_URL = pg.primary().url(db), PARLEY_DB_REPLICAS = replica.url(db) ...
 *     replica.stop(); replica.start();
 * }
 * }</pre>
 *
 * The primary runs with {@code wal_level=logical} (a superset of {@code replica}), so the same cluster also serves
 * as source or target of logical replication (shard moves).
 */
public final class PgCluster implements AutoCloseable {
    /** Settings every test server runs with: fast to start, fast to throw away, never durable. */
    private static final Map<String, String> BASE_SETTINGS = Map.of(
            "fsync", "off",
            "synchronous_commit", "off",
            "full_page_writes", "off",
            "max_connections", "200",
            "shared_buffers", "32MB",
            "wal_level", "logical",
            "max_wal_senders", "10",
            "max_replication_slots", "10",
            // replicas report their replay position to the primary often (pg_stat_replication)
            "wal_receiver_status_interval", "1s");
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final PgServer primary;
    private final List<PgServer> replicas = new ArrayList<>();

    private PgCluster(PgServer primary) {
        this.primary = primary;
    }

    /** A new primary with no replicas yet. */
    public static PgCluster start() {
        return start(Map.of());
    }

    /** A new primary with extra settings (postgresql.conf names) on top of the test defaults. */
    public static PgCluster start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(BASE_SETTINGS);
        all.putAll(settings);
        return new PgCluster(PgServer.initdb(all));
    }

    /** A streaming replica that applies every commit at once. */
    public PgServer addReplica() {
        return addReplica(Duration.ZERO);
    }

    /**
     * A streaming replica that applies each commit {@code applyDelay} after the primary made it
     * ({@code recovery_min_apply_delay}): a replica that lags on purpose. It copies every database the primary
     * has now; later ones arrive by streaming.
     */
    public PgServer addReplica(Duration applyDelay) {
        PgServer replica = PgServer.basebackup(primary, BASE_SETTINGS,
                Map.of("recovery_min_apply_delay", applyDelay.toMillis() + "ms"));
        replicas.add(replica);
        return replica;
    }

    /** Changes a replica's apply delay at run time (ALTER SYSTEM + reload, no restart). */
    public static void setApplyDelay(PgServer replica, Duration applyDelay) {
        replica.execute("postgres", "ALTER SYSTEM SET recovery_min_apply_delay = '" + applyDelay.toMillis() + "ms'");
        replica.execute("postgres", "SELECT pg_reload_conf()");
    }

    public PgServer primary() {
        return primary;
    }

    public List<PgServer> replicas() {
        return List.copyOf(replicas);
    }

    /** A new empty database on the primary; returns its name. */
    public String createDatabase() {
        String name = "p" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        primary.execute("postgres", "CREATE DATABASE " + name);
        return name;
    }

    /** The primary's address of {@code database}. */
    public DbUrl url(String database) {
        return primary.url(database);
    }

    /** Comma-separated replica addresses of {@code database}, as PARLEY_DB_REPLICAS takes them. */
    public String replicaUrls(String database) {
        return String.join(",", replicas.stream().map(r -> r.url(database).jdbcUrl()).toList());
    }

    /**
     * Waits until {@code replica} has replayed everything the primary has written so far (a replica with an
     * apply delay takes at least that long).
     */
    public void awaitReplay(PgServer replica, Duration timeout) {
        String target = primary.queryText("postgres", "SELECT pg_current_wal_lsn()");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String state = replica.queryText("postgres", "SELECT CASE WHEN pg_last_wal_replay_lsn() >= '"
                    + target + "'::pg_lsn THEN 'replayed' ELSE 'behind' END");
            if ("replayed".equals(state)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for replay", e);
            }
        }
        throw new IllegalStateException("replica " + replica + " did not replay up to " + target + " within " + timeout);
    }

    /** Stops and deletes the replicas, then the primary. */
    @Override
    public void close() {
        replicas.forEach(PgServer::close);
        primary.close();
    }
}
