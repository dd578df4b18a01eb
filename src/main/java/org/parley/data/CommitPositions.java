package org.parley.data;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import org.jooq.ConnectionProvider;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteType;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Notes where the primary's WAL stood after a request's write committed, for read-your-writes. Installed on the
 * write contexts of clusters that have replicas (without replicas every read is on the primary anyway).
 *
 * <p>As a listener it sees each statement that changes data; as the connection provider it gets the connection
 * back when jOOQ is done with it — after COMMIT for a transaction, after the statement in auto-commit — and then
 * asks that connection for {@code pg_current_wal_insert_lsn()}, which is past the commit record. Not
 * {@code pg_current_wal_lsn()}: with {@code synchronous_commit = off} the commit record may still sit in the WAL
 * buffers, before the write position, and a replica that reached that position would not show the write yet.
 * One extra statement per write request, counted like any other.
 */
final class CommitPositions implements ConnectionProvider, ExecuteListener {
    /** Where the write is unknown (the position query failed): read from the primary for the whole window. */
    static final Lsn UNKNOWN = new Lsn(-1);
    private static final Logger log = LoggerFactory.getLogger(CommitPositions.class);

    private final String cluster;
    private final DataSource pool;
    private final String target;
    private final Counter taken;

    CommitPositions(String cluster, DataSource pool, String target, MetricRegistry metrics) {
        this.cluster = cluster;
        this.pool = pool;
        this.target = target;
        this.taken = metrics.counter(MetricRegistry.name("parley.writes", cluster, "positions"));
    }

    @Override
    public void executeEnd(ExecuteContext ctx) {
        if (ctx.type() != ExecuteType.READ) {
            ReadYourWrites.wrote(cluster);
        }
    }

    @Override
    public Connection acquire() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new DataAccessException("cluster " + cluster + " primary: " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Connection connection) {
        try {
            if (ReadYourWrites.takePending(cluster)) {
                ReadYourWrites.committed(cluster, positionAfterCommit(connection));
            }
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("Returning a connection to the {} primary pool failed: {}", cluster, e.getMessage());
            }
        }
    }

    private Lsn positionAfterCommit(Connection connection) {
        long started = System.nanoTime();
        try {
            if (!connection.getAutoCommit()) {
                // still inside a transaction: a position read now would precede the commit
                log.warn("A {} primary connection came back inside a transaction; the writer reads from the primary",
                        cluster);
                return UNKNOWN;
            }
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
                rs.next();
                taken.inc();
                return Lsn.parse(rs.getString(1));
            }
        } catch (SQLException e) {
            // the write is committed; not knowing where, the visitor reads from the primary until the window ends
            log.warn("Reading the WAL position after a write on {} failed ({}); the writer reads from the primary",
                    cluster, e.getMessage());
            return UNKNOWN;
        } finally {
            QueryStats stats = QueryStats.current();
            if (stats != null) {
                stats.record(target, System.nanoTime() - started, stats.capturing() ? "SELECT pg_current_wal_insert_lsn()::text" : null);
            }
        }
    }
}
