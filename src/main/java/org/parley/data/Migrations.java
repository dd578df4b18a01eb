package org.parley.data;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.parley.config.StartupException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.IntConsumer;

/**
 * Applies db/main to the main schema and db/shard to every logical shard schema, each on the primary of the
 * cluster that holds it (per the shard map). Each schema keeps its own Flyway history, so a run that stopped
 * half-way simply continues, and a moved shard carries its history with it.
 */
public final class Migrations {
    public static final String MAIN_SCHEMA = "main";
    private static final String MAIN_LOCATION = "classpath:db/main";
    private static final String SHARD_LOCATION = "classpath:db/shard";
    /** Shard schemas migrated at once per cluster: enough to hide round trips, few enough to spare the pool. */
    private static final int PARALLEL_PER_CLUSTER = 4;
    /** A Flyway run holds two connections at once (its history table lock, and the migration). */
    private static final int CONNECTIONS_PER_RUN = 2;

    /** What a run did: for the start-up log. */
    public record Result(int mainApplied, int shardsApplied, int shardSchemas, long millis) {
    }

    private Migrations() {
    }

    /** {@link #migrate(Databases, DbEngine, IntConsumer)} with the engine detected from each server. */
    public static Result migrate(Databases databases, IntConsumer shardDone) {
        return migrate(databases, DbEngine.AUTO, shardDone);
    }

    /**
     * @param engine PARLEY_DB_ENGINE: whether a server with the citus extension gets distributed shard schemas, and
     *               whether one without it is refused
     */
    public static Result migrate(Databases databases, DbEngine engine, IntConsumer shardDone) {
        long started = System.nanoTime();
        ShardMap map = databases.shardMap();
        if (engine.citus(databases, ClusterConfig.MAIN)) {
            createLocalMainSchema(databases.primaryOf(ClusterConfig.MAIN));
        }
        int mainApplied = run("main schema", databases.primaryOf(ClusterConfig.MAIN), MAIN_SCHEMA, MAIN_LOCATION,
                Map.of("shard_count", Integer.toString(map.shardCount())));
        checkShardCount(databases.primaryOf(ClusterConfig.MAIN), map.shardCount());
        // a moved shard migrates where it lives now, not where PARLEY_SHARD_MAP first put it
        ShardPlacements.apply(databases);
        map = databases.shardMap();

        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Semaphore> perCluster = new java.util.HashMap<>();
            Map<String, Boolean> citusClusters = new java.util.HashMap<>();
            for (int shard = 0; shard < map.shardCount(); shard++) {
                int s = shard;
                String cluster = map.clusterOf(shard);
                boolean onCitus = citusClusters.computeIfAbsent(cluster, c -> engine.citus(databases, c));
                // a small pool (PARLEY_CLUSTER_*_POOL_SIZE) must not be exhausted by the runs themselves
                Semaphore gate = perCluster.computeIfAbsent(cluster, c -> new Semaphore(Math.max(1, Math.min(
                        PARALLEL_PER_CLUSTER, databases.primaryServer(c).pool().getMaximumPoolSize() / CONNECTIONS_PER_RUN))));
                results.add(pool.submit(() -> {
                    gate.acquire();
                    try {
                        int applied = runShard(databases.primaryOf(cluster), cluster, s, onCitus);
                        shardDone.accept(s);
                        return applied;
                    } finally {
                        gate.release();
                    }
                }));
            }
        }
        int shardsApplied = 0;
        for (Future<Integer> result : results) {
            shardsApplied += join(result);
        }
        return new Result(mainApplied, shardsApplied, map.shardCount(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * With PARLEY_MIGRATE_ON_START=false: serving needs a schema someone else migrated. A database without one (or
     * with an older one) is refused here, in a sentence that says what to run, rather than by the first query
     * that meets a missing table.
     *
     * @throws StartupException when the main schema is missing or behind this release
     */
    public static void requireMigrated(Databases databases) {
        String location = databases.primaryServer(ClusterConfig.MAIN).label();
        try {
            var info = Flyway.configure()
                    .dataSource(databases.primaryOf(ClusterConfig.MAIN))
                    .schemas(MAIN_SCHEMA)
                    .locations(MAIN_LOCATION)
                    .placeholders(Map.of("shard_count", Integer.toString(databases.shardMap().shardCount())))
                    .loggers("slf4j")
                    .load()
                    .info();
            if (info.current() == null) {
                throw new StartupException("The database " + location + " has no Parley schema yet, and"
                        + " PARLEY_MIGRATE_ON_START=false: run `parley migrate` first (with the same settings), or"
                        + " leave PARLEY_MIGRATE_ON_START unset so Parley migrates as it starts.");
            }
            int pending = info.pending().length;
            if (pending > 0) {
                throw new StartupException("The main schema of " + location + " is " + pending + " migration"
                        + (pending == 1 ? "" : "s") + " behind this release, and PARLEY_MIGRATE_ON_START=false: run"
                        + " `parley migrate` first (with the same settings).");
            }
        } catch (FlywayException e) {
            throw new StartupException("Reading the schema history of " + location + " failed: "
                    + StartupException.rootMessage(e), e);
        }
    }

    /** One shard schema on one cluster's primary: how a shard move prepares its target. */
    static int migrateShard(DataSource primary, String cluster, int shard) {
        return runShard(primary, cluster, shard, DbEngine.AUTO.citus(primary, "cluster " + cluster));
    }

    /**
     * On a Citus coordinator the shard schema is made a distributed schema before its first migration (so every
     * table it gets is placed with it on one worker), and the migrations' statements pass through
     * {@link Citus#namingColumnChecks}: Citus refuses the unnamed CHECKs of V4 and V6.
     */
    private static int runShard(DataSource primary, String cluster, int shard, boolean onCitus) {
        String schema = ShardRouter.schemaOf(shard);
        String what = "shard " + schema + " on cluster " + cluster;
        DataSource target = primary;
        if (onCitus) {
            try {
                Citus.distributeSchema(primary, schema);
            } catch (SQLException e) {
                throw new StartupException("Making the " + what + " a Citus distributed schema failed: "
                        + e.getMessage(), e);
            }
            target = Citus.namingColumnChecks(primary);
        }
        return run(what, target, schema, SHARD_LOCATION, Map.of("shard_id", Integer.toString(shard)));
    }

    /** The main schema stays an ordinary coordinator schema on Citus: its audit log's trigger cannot be distributed. */
    private static void createLocalMainSchema(DataSource coordinator) {
        try {
            Citus.createLocalSchema(coordinator, MAIN_SCHEMA);
        } catch (SQLException e) {
            throw new StartupException("Creating the main schema on the Citus coordinator failed: " + e.getMessage(), e);
        }
    }

    private static int run(String what, DataSource dataSource, String schema, String location,
                           Map<String, String> placeholders) {
        try {
            return Flyway.configure()
                    .dataSource(dataSource)
                    .schemas(schema)
                    .locations(location)
                    .placeholders(placeholders)
                    .loggers("slf4j")
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (FlywayException e) {
            throw new StartupException("Migrating the " + what + " failed: " + StartupException.rootMessage(e), e);
        }
    }

    /** The number of logical shards is part of every thread's address: it can never change after creation. */
    private static void checkShardCount(DataSource main, int configured) {
        try (Connection c = main.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT shard_count FROM " + MAIN_SCHEMA + ".cluster_info")) {
            rs.next();
            int created = rs.getInt(1);
            if (created != configured) {
                throw new StartupException("This database was created with " + created + " logical shards, but "
                        + "PARLEY_SHARDS is " + configured + "; the number of logical shards cannot change, so set "
                        + "PARLEY_SHARDS=" + created + " (or leave it unset where that is the default).");
            }
        } catch (SQLException e) {
            throw new StartupException("Cannot read main.cluster_info: " + e.getMessage(), e);
        }
    }

    private static int join(Future<Integer> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("Interrupted while migrating shard schemas", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StartupException startup) {
                throw startup;
            }
            throw new StartupException("Migrating shard schemas failed: " + StartupException.rootMessage(e), e);
        }
    }
}
