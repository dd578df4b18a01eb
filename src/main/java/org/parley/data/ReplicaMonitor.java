package org.parley.data;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Polls every streaming replica (and its primary) on a virtual thread, every {@link ReplicaPolicy#pollInterval()}:
 * the primary's {@code pg_current_wal_lsn()}, each replica's {@code pg_last_wal_replay_lsn()} and
 * {@code pg_last_xact_replay_timestamp()}. A replica that does not answer, is not in recovery, or lags more than
 * {@link ReplicaPolicy#maxLag()} stops serving reads; it serves again from the first poll that finds it healthy.
 *
 * <p><b>Lag in time</b> is measured against the primary's own history rather than the replay timestamp: the
 * monitor remembers where the primary's WAL stood at each poll, and a replica's lag is the age of the oldest
 * remembered position it has not replayed. The replay timestamp alone grows while the primary is idle (nothing to
 * replay) and would push a fully caught-up replica out; it is still published, as a gauge.
 *
 * <p>Each server is polled over one plain connection of its own, not the pools: a pool exhausted by traffic must
 * not make a healthy replica look dead. Gauges per replica ({@code parley.replica.CLUSTER.HOST_PORT.*}):
 * {@code usable} (1/0), {@code lag-bytes}, {@code lag-ms}, {@code replay-age-ms}; -1 when unknown.
 */
public final class ReplicaMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaMonitor.class);
    /** Bounds the primary's remembered history whatever the settings; older positions say "lag beyond this". */
    private static final int MAX_SAMPLES = 10_000;
    private static final String REPLICA_QUERY = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
            + " (extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::bigint";

    private final ReplicaPolicy policy;
    private final Map<String, ClusterWatch> clusters = new LinkedHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread poller;

    public ReplicaMonitor(Databases databases, ReplicaPolicy policy, MetricRegistry metrics) {
        this.policy = policy;
        Map<String, List<Replica>> byCluster = new LinkedHashMap<>();
        for (Replica replica : databases.replicas()) {
            byCluster.computeIfAbsent(replica.server().cluster(), c -> new ArrayList<>()).add(replica);
        }
        byCluster.forEach((cluster, replicas) -> {
            clusters.put(cluster, new ClusterWatch(new Link(databases.primaryServer(cluster)), replicas));
            replicas.forEach(replica -> registerGauges(replica, metrics));
        });
    }

    /** Starts polling on a virtual thread; the first poll runs at once. Returns this, to be closed on shutdown. */
    public ReplicaMonitor start() {
        if (!clusters.isEmpty()) {
            poller = Thread.ofVirtual().name("parley-replica-monitor").start(this::loop);
        }
        return this;
    }

    private void loop() {
        try {
            do {
                pollOnce();
            } while (!stopped.await(policy.pollInterval().toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One round over every cluster, the clusters in parallel (a hung server delays only its own). */
    public void pollOnce() {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            clusters.values().forEach(watch -> pool.submit(() -> poll(watch)));
        }
    }

    private void poll(ClusterWatch watch) {
        watch.lock.lock(); // a test's pollOnce may overlap the loop's; a lock, not synchronized (virtual threads)
        try {
            pollLocked(watch);
        } catch (RuntimeException e) {
            // a replica whose state cannot be known must not keep serving on an old "usable"
            log.error("Polling the replicas of {} failed; they serve no reads until a poll succeeds",
                    watch.primary.server.cluster(), e);
            watch.replicas.forEach(r -> r.update(ReplicaState.down("poll failed: " + e, r.state())));
        } finally {
            watch.lock.unlock();
        }
    }

    private void pollLocked(ClusterWatch watch) {
        long now = System.nanoTime();
        try {
            watch.remember(now, Lsn.parse(watch.primary.queryText("SELECT pg_current_wal_lsn()::text")));
        } catch (SQLException e) {
            // the primary's down: replicas keep serving what they have; their lag is measured against what we saw
            watch.primary.close();
        }
        for (Replica replica : watch.replicas) {
            ReplicaState before = replica.state();
            ReplicaState after = check(watch, replica);
            replica.update(after);
            logChange(replica, before, after);
        }
    }

    private ReplicaState check(ClusterWatch watch, Replica replica) {
        Link link = watch.links.get(replica);
        try (Statement s = link.connection().createStatement(); ResultSet rs = s.executeQuery(REPLICA_QUERY)) {
            rs.next();
            boolean inRecovery = rs.getBoolean(1);
            Lsn replayed = Lsn.parse(rs.getString(2));
            long replayAge = rs.getObject(3) == null ? -1 : rs.getLong(3);
            if (!inRecovery || replayed == null) {
                return new ReplicaState(ReplicaState.Health.NOT_STANDBY, replayed, -1, -1, replayAge,
                        "not in recovery: promoted, or not a streaming replica");
            }
            Lsn primaryNow = watch.latest();
            long lagBytes = primaryNow == null ? -1 : primaryNow.bytesAfter(replayed);
            long lagMillis = watch.lagMillis(replayed, System.nanoTime());
            if (lagMillis < 0 || lagMillis > policy.maxLag().toMillis()) {
                return new ReplicaState(ReplicaState.Health.LAGGING, replayed, lagBytes, lagMillis, replayAge,
                        "behind by " + (lagMillis < 0 ? "an unknown time" : lagMillis + " ms") + " (" + lagBytes
                                + " bytes of WAL); the limit is " + policy.maxLag().toMillis() + " ms");
            }
            return new ReplicaState(ReplicaState.Health.USABLE, replayed, lagBytes, lagMillis, replayAge, "");
        } catch (SQLException e) {
            link.close();
            return ReplicaState.down(e.getMessage(), replica.state());
        }
    }

    private static void logChange(Replica replica, ReplicaState before, ReplicaState after) {
        if (before.health() == after.health()) {
            return;
        }
        String where = replica.server().cluster() + " replica " + replica.server().url().display();
        if (after.usable()) {
            log.info("{} serves reads (lag {} ms, {} bytes)", where, after.lagMillis(), after.lagBytes());
        } else if (before.usable() || before.health() == ReplicaState.Health.UNKNOWN) {
            log.warn("{} no longer serves reads, its reads go to the primary: {} ({})", where,
                    after.health().name().toLowerCase().replace('_', ' '), after.reason());
        }
    }

    private static void registerGauges(Replica replica, MetricRegistry metrics) {
        String base = MetricRegistry.name("parley.replica", replica.server().cluster(), replica.metricName());
        metrics.register(base + ".usable", (Gauge<Integer>) () -> replica.state().usable() ? 1 : 0);
        metrics.register(base + ".lag-bytes", (Gauge<Long>) () -> replica.state().lagBytes());
        metrics.register(base + ".lag-ms", (Gauge<Long>) () -> replica.state().lagMillis());
        metrics.register(base + ".replay-age-ms", (Gauge<Long>) () -> replica.state().replayAgeMillis());
    }

    @Override
    public void close() {
        stopped.countDown();
        Thread thread = poller;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        clusters.values().forEach(ClusterWatch::close);
    }

    /** A cluster's primary history and the monitor's connections to its servers. */
    private static final class ClusterWatch {
        final Link primary;
        final List<Replica> replicas;
        final Map<Replica, Link> links = new HashMap<>();
        final ReentrantLock lock = new ReentrantLock();
        /** (when, where) of the primary's WAL at each poll that reached it, oldest first; positions only grow. */
        private final Deque<long[]> history = new ArrayDeque<>();

        ClusterWatch(Link primary, List<Replica> replicas) {
            this.primary = primary;
            this.replicas = List.copyOf(replicas);
            replicas.forEach(r -> links.put(r, new Link(r.server())));
        }

        void remember(long nanos, Lsn position) {
            long[] last = history.peekLast();
            if (last != null && last[1] == position.value()) {
                return; // unchanged: the oldest sample at a position is the one that dates it
            }
            history.addLast(new long[]{nanos, position.value()});
            if (history.size() > MAX_SAMPLES) {
                history.removeFirst();
            }
        }

        Lsn latest() {
            long[] last = history.peekLast();
            return last == null ? null : new Lsn(last[1]);
        }

        /**
         * Age of the oldest remembered primary position beyond {@code replayed}: the replica has not yet applied
         * what the primary had written by then. 0 when it has everything we saw; -1 when we never saw the primary.
         */
        long lagMillis(Lsn replayed, long nowNanos) {
            if (history.isEmpty()) {
                return -1;
            }
            for (long[] sample : history) {
                if (new Lsn(sample[1]).compareTo(replayed) > 0) {
                    return TimeUnit.NANOSECONDS.toMillis(nowNanos - sample[0]);
                }
            }
            return 0;
        }

        void close() {
            primary.close();
            links.values().forEach(Link::close);
        }
    }

    /** One plain connection to a server for polling, opened on demand and dropped on any error. */
    private static final class Link {
        private static final int CONNECT_TIMEOUT_SECONDS = 2;
        private static final int SOCKET_TIMEOUT_SECONDS = 3;
        private final Databases.Server server;
        private Connection connection;

        Link(Databases.Server server) {
            this.server = server;
        }

        Connection connection() throws SQLException {
            if (connection == null) {
                HikariDataSource pool = server.pool();
                var properties = new Properties();
                properties.setProperty("user", pool.getUsername());
                properties.setProperty("password", pool.getPassword() == null ? "" : pool.getPassword());
                properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
                properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
                properties.setProperty("ApplicationName", "parley-replica-monitor");
                connection = new org.postgresql.Driver().connect(server.url().jdbcUrl(), properties);
            }
            return connection;
        }

        String queryText(String sql) throws SQLException {
            try (Statement s = connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            } catch (SQLException e) {
                close();
                throw e;
            }
        }

        void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // already broken: nothing to give back
                }
                connection = null;
            }
        }
    }
}
