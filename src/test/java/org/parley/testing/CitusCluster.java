package org.parley.testing;

import org.parley.data.DbUrl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Citus cluster for tests: one coordinator and two workers, each an OS PostgreSQL server ({@link PgServer}) with
 * {@code shared_preload_libraries=citus} on a free loopback port, stopped by its process id.
 *
 * <pre>{@code
 * try (CitusCluster citus = CitusCluster.start()) {
 *     String db = citus.createDatabase();     // citus extension on all three, workers registered in it
 *     ... PARLEY_DB_URL = citus.url(db): Parley talks to the coordinator only ...
 * }
 * }</pre>
 *
 * Citus keeps its node list per database, so each {@link #createDatabase()} creates the database on every node,
 * loads the extension there and registers the coordinator and the workers in it. The extension itself is built
 * once per machine by {@code scripts/install-citus} (which {@code scripts/install-deps test} runs).
 */
public final class CitusCluster implements AutoCloseable {
    public static final int WORKERS = 2;
    private static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("shared_preload_libraries", "citus"),
            // Citus otherwise reports anonymous usage statistics to citusdata.com: a test never calls out
            Map.entry("citus.enable_statistics_collection", "off"),
            // loopback only; Citus's default (sslmode=require) would have libpq read ~/.postgresql of the user
            // that started the test, which the server's OS user postgres may not read
            Map.entry("citus.node_conninfo", "sslmode=disable"),
            Map.entry("fsync", "off"),
            Map.entry("synchronous_commit", "off"),
            Map.entry("full_page_writes", "off"),
            Map.entry("max_connections", "200"),
            Map.entry("shared_buffers", "32MB"),
            // logical: Citus moves a schema between workers by logical replication (citus_move_shard_placement)
            Map.entry("wal_level", "logical"),
            Map.entry("max_replication_slots", "10"),
            Map.entry("max_wal_senders", "10"));
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final PgServer coordinator;
    /** The two started with the cluster, then any {@link #addWorker} added: a test may read it while one is added. */
    private final List<PgServer> workers;

    private CitusCluster(PgServer coordinator, List<PgServer> workers) {
        this.coordinator = coordinator;
        this.workers = new CopyOnWriteArrayList<>(workers);
    }

    /** Three fresh servers, initdb'd and started side by side (each takes a second or two). */
    public static CitusCluster start() {
        requireInstalled();
        List<Future<PgServer>> starting = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i <= WORKERS; i++) {
                starting.add(pool.submit(() -> PgServer.initdb(new HashMap<>(SETTINGS))));
            }
        }
        List<PgServer> servers = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<PgServer> f : starting) {
            try {
                servers.add(f.get());
            } catch (ExecutionException | InterruptedException e) {
                failure = failure == null ? new IllegalStateException("a Citus node did not start", e) : failure;
            }
        }
        if (failure != null) {
            servers.forEach(PgServer::close);
            throw failure;
        }
        return new CitusCluster(servers.getFirst(), servers.subList(1, servers.size()));
    }

    /**
     * A new database on every node with the citus extension, the coordinator's own address set and both workers
     * added: distributed schemas created in it are placed on the workers.
     */
    public String createDatabase() {
        String name = "c" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        for (PgServer node : nodes()) {
            node.execute("postgres", "CREATE DATABASE " + name);
            node.execute(name, "CREATE EXTENSION citus");
        }
        coordinator.execute(name, "SELECT citus_set_coordinator_host('127.0.0.1', " + coordinator.port() + ")");
        for (PgServer worker : workers) {
            coordinator.execute(name, "SELECT citus_add_node('127.0.0.1', " + worker.port() + ")");
        }
        return name;
    }

    /**
     * A further worker, as an operator adds one to grow: a new server with the extension in {@code database},
     * registered with {@code citus_add_node}. It holds nothing until something moves there (a rebalance).
     */
    public PgServer addWorker(String database) {
        PgServer worker = PgServer.initdb(new HashMap<>(SETTINGS));
        workers.add(worker); // stopped by close() even if what follows fails
        worker.execute("postgres", "CREATE DATABASE " + database);
        worker.execute(database, "CREATE EXTENSION citus");
        coordinator.execute(database, "SELECT citus_add_node('127.0.0.1', " + worker.port() + ")");
        return worker;
    }

    public PgServer coordinator() {
        return coordinator;
    }

    /** The worker that holds the distributed schema {@code schema} of {@code database} (its thread table). */
    public PgServer workerHolding(String database, String schema) {
        int port = Integer.parseInt(coordinator().queryText(database, "SELECT nodeport::text FROM citus_shards"
                + " WHERE table_name::text = '" + schema + ".thread'"));
        return workers().stream().filter(w -> w.port() == port).findFirst().orElseThrow();
    }

    public List<PgServer> workers() {
        return List.copyOf(workers);
    }

    /** The coordinator's address of {@code database}: the only address Parley is given. */
    public DbUrl url(String database) {
        return coordinator.url(database);
    }

    private List<PgServer> nodes() {
        List<PgServer> all = new ArrayList<>(workers);
        all.addFirst(coordinator);
        return all;
    }

    /** Stops and deletes the workers, then the coordinator. */
    @Override
    public void close() {
        workers.forEach(PgServer::close);
        coordinator.close();
    }

    /** Fails in one sentence that says how to get Citus, rather than with a server that will not start. */
    private static void requireInstalled() {
        Path lib = PgServer.binDir().getParent().resolve("lib/citus.so");
        if (!Files.exists(lib)) {
            throw new IllegalStateException("Citus is not installed (no " + lib + "): run scripts/install-deps test,"
                    + " which builds it once with scripts/install-citus (set PARLEY_CITUS_SOURCE to a directory"
                    + " holding citus-13.2.2.tar.xz on a machine without internet access)");
        }
    }
}
