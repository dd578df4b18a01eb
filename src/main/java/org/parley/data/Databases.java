package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.parley.config.StartupException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection pools (one HikariCP pool per physical server) and the only way code reaches a database:
 * {@link #main()} for the main schema, {@link #write(int)} / {@link #read(int)} for a logical shard. Reads and
 * writes are separate from day one so reads can move to replicas without touching callers.
 *
 * Shard contexts render the generated schema "shard" as the shard's own schema (s0000 …), so one set of
 * generated classes serves every shard.
 */
public final class Databases implements AutoCloseable {
    /** The schema name jOOQ classes for the shard template are generated under (src/build/GenerateJooq.java). */
    public static final String SHARD_TEMPLATE_SCHEMA = "shard";

    /** One PostgreSQL server and this instance's pool to it. */
    public record Server(String cluster, Role role, DbUrl url, HikariDataSource pool) {
        public String label() {
            return cluster + " " + role.name().toLowerCase() + " (" + url.display() + ")";
        }
    }

    public enum Role { PRIMARY, REPLICA }

    private final ShardMap shardMap;
    private final List<Server> servers;
    private final Map<String, Server> primaries;
    private final DSLContext main;
    private final DSLContext[] shardWrite;
    private final DSLContext[] shardRead;

    private Databases(ShardMap shardMap, List<Server> servers, MetricRegistry metrics) {
        this.shardMap = shardMap;
        this.servers = List.copyOf(servers);
        this.primaries = new LinkedHashMap<>();
        servers.stream().filter(s -> s.role() == Role.PRIMARY).forEach(s -> primaries.put(s.cluster(), s));
        this.main = context(primaries.get(ClusterConfig.MAIN).pool(), null, "main/primary", metrics);
        this.shardWrite = new DSLContext[shardMap.shardCount()];
        this.shardRead = new DSLContext[shardMap.shardCount()];
        for (int shard = 0; shard < shardMap.shardCount(); shard++) {
            String schema = ShardRouter.schemaOf(shard);
            DataSource primary = primaries.get(shardMap.clusterOf(shard)).pool();
            shardWrite[shard] = context(primary, schema, schema + "/primary", metrics);
            // replicas join read routing with replica lag tracking; until then reads use the primary
            shardRead[shard] = shardWrite[shard];
        }
    }

    /**
     * Opens a pool to every configured server and checks that each primary answers.
     *
     * @throws StartupException naming the server that cannot be reached and why
     */
    public static Databases open(List<ClusterConfig> clusters, ShardMap shardMap, Duration connectTimeout,
                                 MetricRegistry metrics) {
        List<Server> servers = new ArrayList<>();
        try {
            for (ClusterConfig cluster : clusters) {
                servers.add(openServer(cluster, Role.PRIMARY, cluster.primary(), connectTimeout, metrics, true));
                for (DbUrl replica : cluster.replicas()) {
                    servers.add(openServer(cluster, Role.REPLICA, replica, connectTimeout, metrics, false));
                }
            }
        } catch (RuntimeException e) {
            servers.forEach(s -> s.pool().close());
            throw e;
        }
        return new Databases(shardMap, servers, metrics);
    }

    private static Server openServer(ClusterConfig cluster, Role role, DbUrl url, Duration connectTimeout,
                                     MetricRegistry metrics, boolean mustAnswer) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("pg-" + cluster.name() + "-" + role.name().toLowerCase() + "-" + url.host() + "-" + url.port());
        hikari.setJdbcUrl(url.jdbcUrl());
        hikari.setUsername(cluster.userFor(url));
        hikari.setPassword(cluster.passwordFor(url));
        hikari.setMaximumPoolSize(cluster.poolSize());
        hikari.setMinimumIdle(Math.min(2, cluster.poolSize()));
        hikari.setConnectionTimeout(connectTimeout.toMillis());
        hikari.setValidationTimeout(Math.min(connectTimeout.toMillis(), 1000));
        // the probe below reports an unreachable server in one sentence; Hikari's own check would log a stack trace
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("ApplicationName", "parley");
        hikari.addDataSourceProperty("connectTimeout", Math.max(1, connectTimeout.toSeconds()));
        hikari.setMetricRegistry(metrics);
        try {
            if (mustAnswer) {
                probe(url, cluster.userFor(url), cluster.passwordFor(url), connectTimeout);
            }
            return new Server(cluster.name(), role, url, new HikariDataSource(hikari));
        } catch (SQLException | RuntimeException e) {
            throw new StartupException("Cannot connect to PostgreSQL " + cluster.name() + " " + role.name().toLowerCase()
                    + " at " + url.display() + " as user '" + cluster.userFor(url) + "': "
                    + StartupException.rootMessage(e) + ". Check that the server runs and the settings "
                    + (cluster.name().equals(ClusterConfig.MAIN) ? "PARLEY_DB_URL/USER/PASSWORD"
                    : "PARLEY_CLUSTER_" + cluster.name().toUpperCase() + "_*") + " are right.", e);
        }
    }

    /** One plain connection, so start-up fails fast and clearly when a server is unreachable or refuses us. */
    private static void probe(DbUrl url, String user, String password, Duration timeout) throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        properties.setProperty("loginTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        try (Connection ignored = new org.postgresql.Driver().connect(url.jdbcUrl(), properties)) {
            // reachable, and the credentials work
        }
    }

    private static DSLContext context(DataSource pool, String shardSchema, String target, MetricRegistry metrics) {
        Settings settings = new Settings().withExecuteLogging(false);
        if (shardSchema != null) {
            settings.withRenderMapping(new RenderMapping().withSchemata(
                    new MappedSchema().withInput(SHARD_TEMPLATE_SCHEMA).withOutput(shardSchema)));
        }
        return DSL.using(new DefaultConfiguration()
                .set(pool)
                .set(SQLDialect.POSTGRES)
                .set(settings)
                .set(new QueryCounter(target, pool, metrics)));
    }

    /** The main schema (sites, accounts, settings) on the main cluster's primary. */
    public DSLContext main() {
        return main;
    }

    /** A logical shard on its cluster's primary: every write, and reads that must see the latest write. */
    public DSLContext write(int shard) {
        return shardWrite[shard];
    }

    /** A logical shard for reading. */
    public DSLContext read(int shard) {
        return shardRead[shard];
    }

    /** Whether an ID names a logical shard of this cluster (IDs from URLs may name any). */
    public boolean holds(long id) {
        return Ids.shardOf(id) < shardMap.shardCount();
    }

    public ShardMap shardMap() {
        return shardMap;
    }

    public List<Server> servers() {
        return servers;
    }

    public DataSource primaryOf(String cluster) {
        return primaries.get(cluster).pool();
    }

    @Override
    public void close() {
        servers.forEach(s -> s.pool().close());
    }
}
