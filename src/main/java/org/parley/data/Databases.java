package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DataSourceConnectionProvider;
import org.jooq.impl.DefaultConfiguration;
import org.parley.config.StartupException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The connection pools (one HikariCP pool per physical server) and the only way code reaches a database:
 * {@link #main()} for the main schema, {@link #write(int)} / {@link #read(int)} for a logical shard. On a cluster
 * with streaming replicas, {@link #read(int)} goes to a usable replica that has replayed the visitor's last write
 * (see {@link ReadRouter}, {@link ReadYourWrites}); writes always go to the primary.
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

    /**
     * A replica that stopped answering must not hold each read for the full PARLEY_DB_CONNECT_TIMEOUT_MS before
     * it goes to the primary: its pool gives up after this long (HikariCP's minimum is 250 ms).
     */
    static final Duration REPLICA_CONNECT_TIMEOUT = Duration.ofMillis(500);

    private volatile ShardMap shardMap;
    private final MetricRegistry metrics;
    /** Re-reads the shard map when a write meets a shard-move fence (set by ShardPlacements). */
    private volatile Runnable onFence = () -> { };
    private final List<Server> servers;
    private final Map<String, Server> primaries;
    /** Per cluster, the way into its primary's pool: every context and primaryOf() go through it. */
    private final Map<String, PrimaryCircuit> circuits = new LinkedHashMap<>();
    private final DSLContext main;
    private final DSLContext[] shardWrite;
    private final DSLContext[] shardRead;
    private final Map<String, ReadRouter> routers = new LinkedHashMap<>();
    /** The clusters whose primary is a Citus coordinator, and how site-wide views read their shards. */
    private final Map<String, CitusReads> citus = new java.util.concurrent.ConcurrentHashMap<>();

    private Databases(ShardMap shardMap, List<Server> servers, MetricRegistry metrics) {
        this.shardMap = shardMap;
        this.servers = List.copyOf(servers);
        this.primaries = new LinkedHashMap<>();
        servers.stream().filter(s -> s.role() == Role.PRIMARY).forEach(s -> primaries.put(s.cluster(), s));
        primaries.forEach((cluster, server) -> circuits.put(cluster, new PrimaryCircuit(server.label(), server.pool())));
        for (String cluster : primaries.keySet()) {
            List<Replica> replicas = servers.stream()
                    .filter(s -> s.role() == Role.REPLICA && s.cluster().equals(cluster))
                    .map(Replica::new)
                    .toList();
            if (!replicas.isEmpty()) {
                routers.put(cluster, new ReadRouter(cluster, replicas, metrics));
            }
        }
        this.main = context(circuits.get(ClusterConfig.MAIN), ClusterConfig.MAIN, null, "main/primary", metrics);
        this.shardWrite = new DSLContext[shardMap.shardCount()];
        this.shardRead = new DSLContext[shardMap.shardCount()];
        this.metrics = metrics;
        for (int shard = 0; shard < shardMap.shardCount(); shard++) {
            place(shard, shardMap.clusterOf(shard));
        }
    }

    /** Builds a logical shard's contexts on a cluster: at start, and again when the shard has moved (relocate). */
    private void place(int shard, String cluster) {
        String schema = ShardRouter.schemaOf(shard);
        DataSource primary = circuits.get(cluster);
        ReadRouter router = routers.get(cluster);
        // with replicas, each commit records the primary's WAL position for the writer's read-your-writes cookie
        CommitPositions positions = router == null ? null
                : new CommitPositions(cluster, primary, schema + "/primary", metrics);
        DSLContext write = positions == null
                ? context(primary, cluster, schema, schema + "/primary", metrics)
                : context(positions, schema, new QueryCounter(cluster, schema + "/primary", metrics), positions);
        // a write refused by a shard-move fence runs again on whatever write(shard) is by then (ShardContext)
        shardWrite[shard] = new ShardContext(write.configuration(), shard, () -> onFence.run(), this::write);
        if (router == null) {
            shardRead[shard] = shardWrite[shard]; // no replicas: every read is on the primary
        } else {
            var routed = new RoutedReads(router, primary);
            shardRead[shard] = context(routed, schema, new QueryCounter(cluster, schema, RoutedReads::currentRole, metrics),
                    routed);
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
        long timeout = role == Role.REPLICA ? Math.min(connectTimeout.toMillis(), REPLICA_CONNECT_TIMEOUT.toMillis())
                : connectTimeout.toMillis();
        hikari.setConnectionTimeout(timeout);
        hikari.setValidationTimeout(Math.min(timeout, 1000));
        // the probe below reports an unreachable server in one sentence; Hikari's own check would log a stack trace
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("ApplicationName", "parley");
        // No plan_cache_mode: PostgreSQL's own choice (auto). pgjdbc prepares a statement on the server after five
        // uses, and PostgreSQL may then keep one generic plan for it. Parley forced a custom plan per run until
        // 2026-12: a thread page's generic plan read every newer row of its partition. Since a thread's statements
        // bound its IDs from above too (Ids.ceiling), their generic plans stay on the thread's index range and prune
        // partitions as they start (QueryPlansIT forces them), and planning on every run had become most of
        // PostgreSQL's work for a page or a post (docs/scale-out.md, "Plans").
        hikari.addDataSourceProperty("connectTimeout", socketConnectSeconds(connectTimeout));
        hikari.addDataSourceProperty("loginTimeout", loginTimeout(connectTimeout));
        hikari.setMetricRegistry(metrics);
        try {
            if (mustAnswer) {
                probe(url, cluster.userFor(url), cluster.passwordFor(url), connectTimeout);
            }
            return new Server(cluster.name(), role, url, new HikariDataSource(hikari));
        } catch (SQLException | RuntimeException e) {
            throw new StartupException("Cannot connect to PostgreSQL " + cluster.name() + " " + role.name().toLowerCase()
                    + " at " + url.display() + " as user '" + cluster.userFor(url) + "': "
                    + probeFailure(e, connectTimeout) + ". Check that the server runs and the settings "
                    + (cluster.name().equals(ClusterConfig.MAIN) ? "PARLEY_DB_URL/USER/PASSWORD"
                    : "PARLEY_CLUSTER_" + cluster.name().toUpperCase() + "_*") + " are right.", e);
        }
    }

    /** One plain connection, so start-up fails fast and clearly when a server is unreachable or refuses us. */
    private static void probe(DbUrl url, String user, String password, Duration timeout) throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", Long.toString(socketConnectSeconds(timeout)));
        properties.setProperty("loginTimeout", loginTimeout(timeout));
        try (Connection ignored = new org.postgresql.Driver().connect(url.jdbcUrl(), properties)) {
            // reachable, and the credentials work
        }
    }

    /**
     * pgjdbc's loginTimeout bounds the whole connect (socket, TLS, authentication) and takes fractional seconds,
     * so PARLEY_DB_CONNECT_TIMEOUT_MS=250 means 250 ms, not a second.
     */
    static String loginTimeout(Duration timeout) {
        return String.format(java.util.Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0);
    }

    /** pgjdbc's connectTimeout (the TCP connect alone) is whole seconds: rounded up; loginTimeout is the real bound. */
    private static long socketConnectSeconds(Duration timeout) {
        return Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    /** Why the start-up probe failed, as a clause without a final stop (the caller's sentence goes on). */
    static String probeFailure(Exception e, Duration timeout) {
        String root = StartupException.rootMessage(e).strip().replaceAll("\\.+$", "");
        if (root.equals("Connection attempt timed out")) { // pgjdbc's words when loginTimeout ran out
            return "no answer within " + timeout.toMillis() + " ms (PARLEY_DB_CONNECT_TIMEOUT_MS)";
        }
        return root;
    }

    private static DSLContext context(DataSource pool, String cluster, String shardSchema, String target,
                                      MetricRegistry metrics) {
        return context(new DataSourceConnectionProvider(pool), shardSchema, new QueryCounter(cluster, target, metrics));
    }

    private static DSLContext context(ConnectionProvider connections, String shardSchema, ExecuteListener... listeners) {
        Settings settings = new Settings().withExecuteLogging(false);
        if (shardSchema != null) {
            settings.withRenderMapping(new RenderMapping().withSchemata(
                    new MappedSchema().withInput(SHARD_TEMPLATE_SCHEMA).withOutput(shardSchema)));
        }
        return DSL.using(new DefaultConfiguration()
                .set(new KnownIsolation(connections))
                .set(SQLDialect.POSTGRES)
                .set(settings)
                .set(listeners));
    }

    /** The main schema (sites, accounts, settings) on the main cluster's primary. */
    public DSLContext main() {
        return main;
    }

    /** A logical shard on its cluster's primary: every write, and reads that must see the latest write. */
    public DSLContext write(int shard) {
        return shardWrite[checked(shard)];
    }

    /**
     * A logical shard for reading: on a cluster with replicas, each statement goes to a usable replica that has
     * replayed the current visitor's last write, else to the primary.
     */
    public DSLContext read(int shard) {
        return shardRead[checked(shard)];
    }

    /**
     * Reads of the rest of this request go to the primaries: a replica lacked a row that another visitor has just
     * written (a thread made by its first view), and the request's later reads (the thread's comments) must not
     * come from that replica's older copy. Outside a request nothing is pinned, so the shard's primary is returned.
     */
    public DSLContext readPrimaryFromNowOn(int shard) {
        if (!ReadYourWrites.active()) {
            return write(shard);
        }
        routers.keySet().forEach(cluster -> ReadYourWrites.readingOn(cluster, Optional.empty()));
        return read(shard);
    }

    /** Every streaming replica of every cluster, for the {@link ReplicaMonitor}. */
    public List<Replica> replicas() {
        return routers.values().stream().flatMap(r -> r.replicas().stream()).toList();
    }

    /** The primary of the cluster a replica follows. */
    public Server primaryServer(String cluster) {
        return primaries.get(cluster);
    }

    /**
     * Whether an ID can name a row here: positive (IDs start at 2024 with a time part), on a logical shard of this
     * cluster. IDs from URLs and forms may be anything; check before {@link #write}/{@link #read} with them.
     */
    public boolean holds(long id) {
        return id > 0 && Ids.shardOf(id) < shardMap.shardCount();
    }

    /** A shard number that exists, or an exception saying which does not (a caller skipped {@link #holds}). */
    private int checked(int shard) {
        if (shard < 0 || shard >= shardWrite.length) {
            throw new IllegalArgumentException("No logical shard " + shard + ": this cluster has " + shardWrite.length
                    + " (s0000 to " + ShardRouter.schemaOf(shardWrite.length - 1) + "); check IDs from requests "
                    + "with Databases.holds first");
        }
        return shard;
    }

    public ShardMap shardMap() {
        return shardMap;
    }

    /** The clusters this instance has pools for. */
    public java.util.Set<String> clusters() {
        return primaries.keySet();
    }

    /**
     * Points a logical shard at another cluster (after a shard move): its contexts are built anew there, so
     * statements and transactions that start from now on go to that cluster (and its replicas, for reads).
     *
     * @throws IllegalArgumentException when this instance has no pool for that cluster
     */
    public synchronized void relocate(int shard, String cluster) {
        Server primary = primaries.get(cluster);
        if (primary == null) {
            throw new IllegalArgumentException("logical shard " + shard + " is placed on cluster '" + cluster
                    + "', which this instance does not define; set PARLEY_CLUSTER_" + cluster.toUpperCase()
                    + "_URL (clusters here: " + primaries.keySet() + ")");
        }
        place(shard, cluster);
        shardMap = shardMap.with(shard, cluster);
    }

    /**
     * Notes that {@code cluster}'s primary is a Citus coordinator (found at start, {@link DbEngine}) and how
     * {@link AllShards} reads its shards. Until then, and on plain PostgreSQL, a cluster gets one statement.
     */
    public void onCitus(String cluster, CitusReads reads) {
        if (!primaries.containsKey(cluster)) {
            throw new IllegalArgumentException("no cluster '" + cluster + "' here (clusters: " + primaries.keySet() + ")");
        }
        citus.put(cluster, reads);
    }

    /** How site-wide views read {@code cluster}'s shards when it is a Citus coordinator; empty on plain PostgreSQL. */
    public Optional<CitusReads> citusReads(String cluster) {
        return Optional.ofNullable(citus.get(cluster));
    }

    /** What to do when a write meets a shard-move fence: re-read the shard map (see ShardPlacements). */
    public void onFence(Runnable refresh) {
        this.onFence = refresh;
    }

    public List<Server> servers() {
        return servers;
    }

    /** The cluster's primary pool, through its circuit breaker ({@link PrimaryCircuit}). */
    public DataSource primaryOf(String cluster) {
        return circuits.get(cluster);
    }

    /** Each primary's circuit: which are unreachable right now, and since when (for /readyz). */
    public List<PrimaryCircuit> circuits() {
        return List.copyOf(circuits.values());
    }

    @Override
    public void close() {
        circuits.values().forEach(PrimaryCircuit::close);
        servers.forEach(s -> s.pool().close());
    }
}
