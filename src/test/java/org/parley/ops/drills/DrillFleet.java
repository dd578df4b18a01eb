package org.parley.ops.drills;

import org.parley.testing.FreePort;
import org.parley.testing.Http;
import org.parley.testing.JarProcess;
import org.parley.testing.MemcachedProcess;
import org.parley.testing.PgCluster;
import org.parley.testing.PgServer;
import org.parley.testing.ProxyProcess;
import org.parley.testing.TestServer;
import org.parley.web.KeyRing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The fleet the fault drills break, all real programs on loopback: two Parley jars behind the shipped HAProxy
 * config, memcached, and two PostgreSQL clusters — main on one, all eight shards on the other with a streaming
 * replica — so a shard's primary can go away while main stays (the comment spool lives there, docs/spool.md).
 * Parley reaches the shards' primary through a {@link DelayProxy}, so the network to it can be slowed alone.
 * Durable commits (fsync on), as in production: a drill must not lose what a test-only setting would.
 */
public final class DrillFleet implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(120);
    private static final Map<String, String> DURABLE = Map.of("fsync", "on", "synchronous_commit", "on",
            "full_page_writes", "on");

    private final Path dir;
    private final PgCluster mainPg;
    private final PgCluster shardPg;
    private final PgServer replica;
    private final String mainDb;
    private final String shardDb;
    private final MemcachedProcess memcached;
    /** Parley reaches the shards' primary through it, so the slow-network drill can delay only that link. */
    private final DelayProxy shardLink;
    private final Map<String, String> settings = new HashMap<>();
    private final List<Integer> ports = new ArrayList<>();
    private final JarProcess[] jars = new JarProcess[2];
    private final int statsPort;
    private final ProxyProcess haproxy;
    /** Before {@code -jar} on every instance this fleet starts (an AOT cache for bench/load, say). */
    private final List<String> jvmOptions;

    private DrillFleet(Path dir, List<String> jvmOptions) {
        this.dir = dir;
        this.jvmOptions = List.copyOf(jvmOptions);
        mainPg = PgCluster.start(DURABLE);
        shardPg = PgCluster.start(DURABLE);
        mainDb = mainPg.createDatabase();
        shardDb = shardPg.createDatabase();
        replica = shardPg.addReplica();
        memcached = MemcachedProcess.start();
        try {
            shardLink = DelayProxy.to(shardPg.primary().port());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        settings.put("PARLEY_DB_URL", mainPg.url(mainDb).jdbcUrl());
        settings.put("PARLEY_DB_USER", PgServer.USER);
        settings.put("PARLEY_CLUSTER_SHARDS_URL", shardPg.url(shardDb).jdbcUrl()
                .replace(":" + shardPg.primary().port() + "/", ":" + shardLink.port() + "/"));
        settings.put("PARLEY_CLUSTER_SHARDS_USER", PgServer.USER);
        settings.put("PARLEY_CLUSTER_SHARDS_REPLICAS", replica.url(shardDb).jdbcUrl());
        settings.put("PARLEY_SHARDS", "8");
        settings.put("PARLEY_SHARD_MAP", "0-7:shards");
        settings.put("PARLEY_REPLICA_POLL_MS", "500");
        settings.put("PARLEY_HOST", "127.0.0.1");
        settings.put("PARLEY_PUBLIC_URL", TestServer.ORIGIN);
        settings.put("PARLEY_MEMCACHED", memcached.address());
        settings.put("PARLEY_SESSION_KEYS", Base64.getEncoder().encodeToString(KeyRing.generateKey()));
        settings.put("PARLEY_TRUSTED_PROXIES", "127.0.0.1/32");
        // well past what HAProxy takes to mark a draining instance DOWN (two failed checks, ≥ 1.25 s plus the
        // checks' own time, haproxy.cfg): with 1 s the clock-skew drill's restarts let a few GETs reach a Jetty
        // already stopping, which answers 503 bare
        settings.put("PARLEY_DRAIN_SECONDS", "3");
        settings.put("PARLEY_RATE_LIMITS", "false"); // every visitor here comes from 127.0.0.1
        settings.put("PARLEY_DB_CONNECT_TIMEOUT_MS", "2000");
        ports.add(FreePort.find());
        ports.add(FreePort.find());
        for (int i = 0; i < 2; i++) {
            jars[i] = JarProcess.start(dir.resolve("app" + (i + 1) + "-0"), instanceSettings(i), jvmOptions);
        }
        for (JarProcess jar : jars) {
            jar.awaitStdout("Parley is ready", START);
        }
        // visitors here all post from 127.0.0.1, which the spam heuristics would rightly hold
        mainPg.primary().execute(mainDb, "UPDATE main.site SET spam_checks = false");
        statsPort = FreePort.find();
        haproxy = ProxyProcess.haproxy(dir.resolve("haproxy"), statsPort, ports);
        awaitInRotation(0);
        awaitInRotation(1);
    }

    public static DrillFleet start(Path dir) {
        return start(dir, List.of());
    }

    /** The same with {@code jvmOptions} before {@code -jar} on every instance. */
    public static DrillFleet start(Path dir, List<String> jvmOptions) {
        return new DrillFleet(dir, jvmOptions);
    }

    /** HAProxy's address: where visitors go. */
    public String base() {
        return haproxy.base();
    }

    Map<String, String> instanceSettings(int instance) {
        Map<String, String> mine = new HashMap<>(settings);
        mine.put("PARLEY_PORT", Integer.toString(ports.get(instance)));
        return mine;
    }

    /** SIGKILL, as the OOM killer or a pulled plug does. */
    void killInstance(int instance) {
        jars[instance].kill();
    }

    /** SIGTERM: the instance drains (docs/operations.md) and ends, as a deploy stops it. */
    void stopInstance(int instance) {
        jars[instance].terminate();
    }

    /** One step of a rolling deploy: SIGTERM (the instance drains and ends), then it starts again into rotation. */
    public void restart(int instance, int generation) {
        stopInstance(instance);
        startInstance(instance, generation);
    }

    /** Starts the instance again with its settings and waits until HAProxy sends it traffic. */
    void startInstance(int instance, int generation) {
        startInstance(instance, generation, Map.of());
    }

    /** The same, with more in its environment: libfaketime's variables, for a clock that is wrong. */
    void startInstance(int instance, int generation, Map<String, String> environment) {
        Map<String, String> env = instanceSettings(instance);
        env.putAll(environment);
        jars[instance] = JarProcess.start(dir.resolve("app" + (instance + 1) + "-" + generation), env, jvmOptions);
        jars[instance].awaitStdout("Parley is ready", START);
        awaitInRotation(instance);
    }

    /** A third jar with {@code wrong} on top of the fleet's settings; returns it once it has ended. */
    JarProcess startMisconfigured(Map<String, String> wrong, int generation) {
        Map<String, String> bad = instanceSettings(0);
        bad.put("PARLEY_PORT", Integer.toString(FreePort.find()));
        bad.putAll(wrong);
        JarProcess jar = JarProcess.start(dir.resolve("misconfigured-" + generation), bad);
        jar.waitForExit(Duration.ofSeconds(60));
        return jar;
    }

    MemcachedProcess memcached() {
        return memcached;
    }

    PgServer shardPrimary() {
        return shardPg.primary();
    }

    /** Delays everything between Parley and the shards' primary by {@code delay} each way (zero: none). */
    void slowShardLink(Duration delay) {
        shardLink.delay(delay);
    }

    PgServer shardReplica() {
        return replica;
    }

    void awaitInRotation(int instance) {
        String server = "app" + (instance + 1);
        await().atMost(START).pollInterval(Duration.ofMillis(100)).until(() ->
                ProxyProcess.haproxyServer(statsPort, "parley", server).getFirst().equals("UP"));
    }

    /** Whether neither instance reports a database as unreachable. */
    boolean databasesReachable() {
        return ports.stream().noneMatch(port ->
                Http.get("http://127.0.0.1:" + port + "/readyz").body().contains("unreachable"));
    }

    /**
     * Holds the rows of these threads locked from outside Parley for {@code duration} — what a runaway migration or
     * a stuck batch job does — so every post to them waits: the one leading each thread's group commit holds a pooled
     * connection, the others queue behind it without one (before group commit, every post held one until the pools
     * ran dry).
     */
    void holdThreads(List<String> keys, Duration duration) throws Exception {
        try (Connection c = shardPg.primary().connect(shardDb); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int shard = 0; shard < 8; shard++) {
                s.execute("SELECT 1 FROM s" + String.format("%04d", shard) + ".thread WHERE key IN ('"
                        + String.join("','", keys) + "') FOR UPDATE");
            }
            Thread.sleep(duration);
            c.rollback();
        }
    }

    /** How far the instance's clock is from this machine's, read off the Date header it sends. */
    Duration clockOffset(int instance) {
        var answer = Http.get(direct(instance) + "/readyz");
        var date = java.time.ZonedDateTime.parse(answer.headers().firstValue("Date").orElseThrow(),
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
        return Duration.between(java.time.Instant.now(), date.toInstant());
    }

    /** The instance's own address, past HAProxy. */
    String direct(int instance) {
        return "http://127.0.0.1:" + ports.get(instance);
    }

    /** Comment bodies of the thread {@code key}, in the order of their IDs (the order a thread page lists them). */
    List<String> bodiesInIdOrder(String key) throws Exception {
        StringBuilder sql = new StringBuilder("SELECT body_source FROM (");
        for (int shard = 0; shard < 8; shard++) {
            String schema = "s" + String.format("%04d", shard);
            sql.append(shard == 0 ? "" : " UNION ALL ").append("SELECT c.id, c.body_source FROM ").append(schema)
                    .append(".comment c JOIN ").append(schema).append(".thread t ON t.id = c.thread_id WHERE t.key = '")
                    .append(key.replace("'", "''")).append("'");
        }
        sql.append(") all_shards ORDER BY id");
        List<String> bodies = new ArrayList<>();
        try (Connection c = shardPg.primary().connect(shardDb); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                bodies.add(rs.getString(1));
            }
        }
        return bodies;
    }

    /**
     * Moves the spool's table and indexes onto a filesystem of their own, a few MiB of tmpfs, so the drill can fill
     * exactly the disk the spool writes to while main's WAL and catalogue stay writable. Needs root (mount).
     */
    SpoolDisk spoolOnSmallDisk() throws Exception {
        return SpoolDisk.mount(mainPg.primary(), mainDb);
    }

    /** Comments waiting in the spool (main). */
    long spooled() throws Exception {
        try (Connection c = mainPg.primary().connect(mainDb); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM main.comment_spool WHERE replayed_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How often each comment body is stored, over every shard. */
    Map<String, Integer> storedBodies() throws Exception {
        Map<String, Integer> stored = new HashMap<>();
        StringBuilder sql = new StringBuilder();
        for (int shard = 0; shard < 8; shard++) {
            sql.append(shard == 0 ? "" : " UNION ALL ").append("SELECT body_source FROM s")
                    .append(String.format("%04d", shard)).append(".comment");
        }
        try (Connection c = shardPg.primary().connect(shardDb); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                stored.merge(rs.getString(1), 1, Integer::sum);
            }
        }
        return stored;
    }

    /** What the instances logged lately (the last 10 000 characters of each), for a drill that went wrong. */
    String logs() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < jars.length; i++) {
            String log = jars[i].stderr();
            out.append("--- app").append(i + 1).append(" stderr\n")
                    .append(log.length() <= 10_000 ? log : "…" + log.substring(log.length() - 10_000));
        }
        return out.toString();
    }

    @Override
    public void close() {
        haproxy.close();
        for (JarProcess jar : jars) {
            if (jar != null) {
                jar.close();
            }
        }
        memcached.close();
        try {
            shardLink.close();
        } catch (java.io.IOException e) {
            // closing a listening socket: nothing to do about it
        }
        shardPg.close();
        mainPg.close();
    }
}
