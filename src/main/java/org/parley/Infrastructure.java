package org.parley;

import com.codahale.metrics.MetricRegistry;
import org.parley.cache.Cache;
import org.parley.cache.Caches;
import org.parley.cache.NoCache;
import org.parley.config.StartupException;
import org.parley.data.Citus;
import org.parley.data.ClusterConfig;
import org.parley.data.Databases;
import org.parley.data.DbUrl;
import org.parley.data.EmbeddedDatabase;
import org.parley.data.Migrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * What serving and every command open before they work, opened one way: the embedded PostgreSQL when no
 * {@code PARLEY_DB_URL} is set, the pools of every cluster, the schema, the cache. Closing it closes what it
 * opened, newest first; a failure while opening closes what was already open before it is rethrown.
 */
final class Infrastructure implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private final Config config;
    private final Databases databases;
    private final Deque<AutoCloseable> opened;

    private Infrastructure(Config config, Databases databases, Deque<AutoCloseable> opened) {
        this.config = config;
        this.databases = databases;
        this.opened = opened;
    }

    /** Starts the embedded PostgreSQL if the configuration asks for it, then opens every cluster's pools. */
    static Infrastructure open(Config config, MetricRegistry metrics) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            List<ClusterConfig> clusters = config.clusters();
            if (config.embedded()) {
                EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDir(), config.embeddedDurability());
                opened.push(embedded);
                clusters = withMainPrimary(clusters, embedded.url(), EmbeddedDatabase.USER, "");
                log.info("Embedded PostgreSQL is running on localhost:{} with data in {}", embedded.port(),
                        config.dataDir().resolve("postgres").toAbsolutePath().normalize());
            }
            Databases databases = Databases.open(clusters, config.shardMap(), config.connectTimeout(), metrics);
            opened.push(databases);
            return new Infrastructure(config, databases, opened);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    Databases databases() {
        return databases;
    }

    /** Applies pending migrations to main and every shard schema; {@code shardDone} hears each shard finish. */
    Migrations.Result migrate(IntConsumer shardDone) {
        return Migrations.migrate(databases, config.dbEngine(), shardDone);
    }

    /** Migrates on start (the default), or, with PARLEY_MIGRATE_ON_START=false, refuses a schema that is behind. */
    void migrateOrRequireMigrated() {
        // reported once at start; with PARLEY_DB_ENGINE=citus a server without the extension stops here
        boolean citus = useEngine();
        log.info("Database engine: {} (PARLEY_DB_ENGINE={})", citus ? "Citus, shards are distributed schemas,"
                + " site-wide reads " + config.citusReads().name().toLowerCase() : "PostgreSQL",
                config.dbEngine().name().toLowerCase());
        if (config.migrateOnStart()) {
            Migrations.Result result = migrate(shard -> { });
            log.info("Schema up to date: main + {} shard schemas, {} migrations applied, in {} ms",
                    result.shardSchemas(), result.mainApplied() + result.shardsApplied(), result.millis());
        } else {
            Migrations.requireMigrated(databases);
        }
    }

    /**
     * Asks each cluster's primary whether it is a Citus coordinator and tells {@link Databases} how to read across
     * the shards of those that are (PARLEY_CITUS_CROSS_SHARD_READS). A Citus cluster with streaming replicas is
     * refused: they would be measured against the coordinator's WAL, which does not hold the shards' rows.
     *
     * @return whether the main cluster is Citus
     */
    private boolean useEngine() {
        for (String cluster : databases.clusters()) {
            if (config.dbEngine().citus(databases, cluster)) {
                boolean replicas = config.clusters().stream()
                        .anyMatch(c -> c.name().equals(cluster) && !c.replicas().isEmpty());
                if (replicas) {
                    throw new StartupException(Citus.replicasRefused("cluster " + cluster + " is a Citus coordinator,"
                            + " PARLEY_DB_ENGINE=" + config.dbEngine().name().toLowerCase()));
                }
                databases.onCitus(cluster, config.citusReads());
            }
        }
        return databases.citusReads(ClusterConfig.MAIN).isPresent();
    }

    /**
     * Memcached when PARLEY_MEMCACHED names servers, Redis when PARLEY_REDIS_URL names one, the in-process cache
     * otherwise, nothing with PARLEY_CACHE=off. Never fails for the cache being down: the clients connect and
     * reconnect on their own, pages read the database meanwhile.
     */
    Cache openCache(MetricRegistry metrics) {
        Cache cache = config.cache()
                ? Caches.open(config.memcached(), config.memcachedTimeout(), config.redis(), config.redisTimeout(),
                        metrics)
                : NoCache.INSTANCE; // PARLEY_CACHE=off: every page from PostgreSQL, for measuring
        opened.push(cache);
        return cache;
    }

    /** Something the caller started on top (a background job, the web server): closed before the databases. */
    <T extends AutoCloseable> T closeWithIt(T resource) {
        opened.push(resource);
        return resource;
    }

    @Override
    public void close() {
        closeAll(opened);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", resource, e.toString());
            }
        }
    }

    private static List<ClusterConfig> withMainPrimary(List<ClusterConfig> clusters, DbUrl url, String user,
                                                       String password) {
        List<ClusterConfig> updated = new ArrayList<>(clusters);
        ClusterConfig main = clusters.getFirst();
        updated.set(0, new ClusterConfig(main.name(), url, main.replicas(), user, password, main.poolSize()));
        return List.copyOf(updated);
    }
}
