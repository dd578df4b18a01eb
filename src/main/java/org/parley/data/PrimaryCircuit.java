package org.parley.data;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The only way into a primary's pool: a circuit breaker ("primary unreachable since T") in front of HikariCP.
 *
 * <p>While the server answers, this is the pool. The first request that cannot get a connection because the
 * server is unreachable (refused, timed out, lost, or not one connection in the pool and none opened within the
 * connect timeout: a network that drops packets) opens the circuit: one WARN names the server and the reason,
 * and from then on every request that needs the server fails at once with {@link DatabaseUnavailable} (503 with
 * Retry-After) instead of each waiting PARLEY_DB_CONNECT_TIMEOUT_MS for the same answer — cached pages keep being
 * served meanwhile, since they need no connection. A probe on a virtual thread asks the pool for a connection
 * every {@link #PROBE_INTERVAL}; the first that succeeds closes the circuit and logs one INFO with how long it
 * lasted and how many requests were refused. Nothing else is logged per request.
 *
 * <p>A pool whose connections are busy (the server answers, but this instance asks too much of it) is not an
 * outage: the circuit stays closed, each request waits up to the connect timeout as HikariCP queues it, and one
 * that still gets nothing fails with a {@link DatabaseUnavailable.Kind#BUSY BUSY} 503. That is logged once per
 * episode too (ending after {@link #BUSY_QUIET} without another), with the pool's state.
 */
public final class PrimaryCircuit implements DataSource, AutoCloseable {
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final Duration BUSY_QUIET = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(PrimaryCircuit.class);

    /** One open circuit: since when, why, and how many requests it turned away. */
    private record Outage(Instant since, long startNanos, String reason, LongAdder refused) {
    }

    private final String label;
    private final HikariDataSource pool;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock(); // not synchronized: virtual threads would pin
    private volatile Outage outage; // null while the server is reachable
    private volatile boolean closed;
    private volatile long busySince; // 0 = not busy; guarded by lock for writes
    private long lastBusy; // guarded by lock
    private long busyRefused; // guarded by lock

    PrimaryCircuit(String label, HikariDataSource pool) {
        this(label, pool, System::nanoTime);
    }

    PrimaryCircuit(String label, HikariDataSource pool, LongSupplier nanoTime) {
        this.label = label;
        this.pool = pool;
        this.nanoTime = nanoTime;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Outage open = outage;
        if (open != null) {
            open.refused().increment();
            throw refusal(open, null);
        }
        try {
            Connection connection = pool.getConnection();
            poolFreedUp();
            return connection;
        } catch (SQLException e) {
            if (DatabaseUnavailable.connectionFailure(e)) {
                Outage opened = open(reason(e));
                opened.refused().increment();
                throw refusal(opened, e);
            }
            if (e instanceof SQLTransientConnectionException) {
                Outage already = outage;
                if (already != null) {
                    // it waited while another request opened the circuit: the server is away, not the pool busy,
                    // and the outage has had its one warning
                    already.refused().increment();
                    throw refusal(already, e);
                }
                if (!poolEmpty()) {
                    throw poolBusy(e);
                }
                // not one connection, and none opened within the timeout: opening them hangs (a network that drops
                // packets answers nothing, so no failed connect is there to report) — unreachable, not busy
                Outage opened = open("no connection could be opened within " + pool.getConnectionTimeout() + " ms");
                opened.refused().increment();
                throw refusal(opened, e);
            }
            throw e;
        }
    }

    /** "unreachable since …" while the circuit is open, for /readyz and the logs; empty while it is closed. */
    public Optional<String> status() {
        Outage open = outage;
        return open == null ? Optional.empty() : Optional.of(label + ": unreachable since " + open.since()
                + " (" + open.reason() + "); " + open.refused().sum() + " requests answered 503 so far");
    }

    public boolean open() {
        return outage != null;
    }

    private DatabaseUnavailable refusal(Outage open, Throwable cause) {
        return new DatabaseUnavailable(DatabaseUnavailable.Kind.UNREACHABLE,
                label + " unreachable since " + open.since() + ": " + open.reason(), cause);
    }

    private Outage open(String reason) {
        lock.lock();
        try {
            Outage current = outage;
            if (current != null) {
                return current;
            }
            Outage opened = new Outage(Instant.now().truncatedTo(ChronoUnit.MILLIS), nanoTime.getAsLong(),
                    reason, new LongAdder());
            outage = opened;
            log.warn("PostgreSQL {} is unreachable ({}): cached pages are still served; what needs this server"
                    + " answers 503 at once until it is back (checked every {} ms)", label, opened.reason(),
                    PROBE_INTERVAL.toMillis());
            Thread.ofVirtual().name("parley-probe-" + pool.getPoolName()).start(() -> probeUntilBack(opened));
            return opened;
        } finally {
            lock.unlock();
        }
    }

    /** Asks the pool for a connection every PROBE_INTERVAL until one comes; then closes the circuit. */
    private void probeUntilBack(Outage opened) {
        while (!closed) {
            try {
                Thread.sleep(PROBE_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            try (Connection ignored = pool.getConnection()) {
                close(opened);
                return;
            } catch (SQLException e) {
                // it answers, and only the pool is busy or closed; a timeout with no connection at all is a
                // connect that hangs, as above
                boolean hangs = e instanceof SQLTransientConnectionException && poolEmpty();
                if (!DatabaseUnavailable.connectionFailure(e) && !hangs) {
                    close(opened);
                    return;
                }
            }
        }
    }

    private void close(Outage opened) {
        lock.lock();
        try {
            if (outage != opened) {
                return;
            }
            outage = null;
            log.info("PostgreSQL {} is reachable again after {} s; {} requests were answered 503 meanwhile", label,
                    String.format(java.util.Locale.ROOT, "%.1f", (nanoTime.getAsLong() - opened.startNanos()) / 1e9),
                    opened.refused().sum());
        } finally {
            lock.unlock();
        }
    }

    private DatabaseUnavailable poolBusy(SQLException e) {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            lastBusy = now;
            busyRefused++;
            if (busySince == 0) {
                busySince = now;
                log.warn("PostgreSQL {}: no free connection in this instance's pool within {} ms ({}); requests that"
                        + " need one answer 503 while this lasts. If it happens at normal load, raise"
                        + " PARLEY_DB_POOL_SIZE within the server's max_connections", label, pool.getConnectionTimeout(),
                        poolState());
            }
        } finally {
            lock.unlock();
        }
        return new DatabaseUnavailable(DatabaseUnavailable.Kind.BUSY, label + ": no free connection within "
                + pool.getConnectionTimeout() + " ms (" + poolState() + ")", e);
    }

    private void poolFreedUp() {
        if (busySince == 0) {
            return; // the common case: one volatile read
        }
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            if (busySince == 0 || now - lastBusy < BUSY_QUIET.toNanos()) {
                return;
            }
            log.info("PostgreSQL {}: the pool keeps up again ({} requests were answered 503 in {} s)", label,
                    busyRefused, (lastBusy - busySince) / 1_000_000_000);
            busySince = 0;
            busyRefused = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the pool holds no connection at all. A wait that times out then found nothing to wait for: HikariCP
     * was opening connections for it all along and none came. With some open, slow answers or slow connects on a
     * loaded machine are as likely, and that is busy, not an outage (the drills' skewed instance, starting on a
     * loaded machine, took over 2 s for a connection to a healthy main).
     */
    private boolean poolEmpty() {
        var bean = pool.getHikariPoolMXBean();
        return bean != null && bean.getTotalConnections() == 0;
    }

    private String poolState() {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? "pool not started" : "active=" + bean.getActiveConnections() + ", idle="
                + bean.getIdleConnections() + ", waiting=" + bean.getThreadsAwaitingConnection() + ", size="
                + pool.getMaximumPoolSize();
    }

    private static String reason(SQLException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.strip().replaceAll("\\.+$", "");
    }

    /** Stops the probe; the pool itself is closed by its owner. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool of " + label + " has fixed credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }

    @Override
    public String toString() {
        return label;
    }
}
