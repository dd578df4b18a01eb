package org.parley.data;

import org.jooq.ConnectionProvider;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The connections behind a shard's read context on a cluster with replicas: each time jOOQ needs a connection,
 * the {@link ReadRouter} picks a replica (or the primary) for this visitor. A replica that cannot hand out a
 * connection (stopped since the last poll) is marked down and the read goes to the primary instead, so a replica
 * dying costs a short wait, not an error page. A statement that loses its replica connection midway fails, but
 * marks the replica down and tells the request ({@link ReadYourWrites#replicaFailed()}), which may then retry.
 *
 * <p>Within a request, reads never go back in time: after a read on a replica, the request's later reads on the
 * cluster use that replica (or the primary, if it became unusable), never another replica that may be further
 * behind; after a read on the primary, the primary. So what a request reads second is at least as new as what it
 * read first — a thread page stored under the thread row's version holds every comment of that version.
 *
 * <p>Which server serves the statement is kept per thread until the connection is released, so the query counter
 * files it under {@code s0003/replica} or {@code s0003/primary}.
 */
final class RoutedReads implements ConnectionProvider, ExecuteListener {
    static final String PRIMARY = "primary";
    static final String REPLICA = "replica";
    private static final Logger log = LoggerFactory.getLogger(RoutedReads.class);
    /** The servers of the connections this thread holds, innermost last; empty = the primary. */
    private static final ThreadLocal<Deque<Optional<Replica>>> HELD = ThreadLocal.withInitial(ArrayDeque::new);

    private final ReadRouter router;
    private final DataSource primary;

    RoutedReads(ReadRouter router, DataSource primary) {
        this.router = router;
        this.primary = primary;
    }

    @Override
    public Connection acquire() {
        Lsn required = ReadYourWrites.required(router.cluster());
        Optional<Replica> earlier = ReadYourWrites.readOn(router.cluster());
        // a write request reads only the primary; a request's second read must not land on a server behind its
        // first (a thread row, then its comments)
        Replica replica = ReadYourWrites.primaryOnly() ? router.forWrite()
                : earlier == null ? router.choose(required) : router.stay(earlier.orElse(null), required);
        if (replica != null) {
            try {
                Connection connection = replica.server().pool().getConnection();
                HELD.get().addLast(Optional.of(replica));
                ReadYourWrites.readingOn(router.cluster(), Optional.of(replica));
                return connection;
            } catch (SQLException e) {
                router.fellBack();
                if (replica.failed("no connection: " + e.getMessage())) {
                    log.warn("Reading from the primary of {}: replica {} gave no connection ({}); it is skipped until"
                            + " it answers a poll", router.cluster(), replica.server().url().display(), e.getMessage());
                }
            }
        }
        try {
            Connection connection = primary.getConnection();
            HELD.get().addLast(Optional.empty());
            ReadYourWrites.readingOn(router.cluster(), Optional.empty());
            return connection;
        } catch (SQLException e) {
            throw new DataAccessException("cluster " + router.cluster() + " primary: " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Connection connection) {
        Deque<Optional<Replica>> held = HELD.get();
        held.pollLast();
        if (held.isEmpty()) {
            HELD.remove();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            throw new DataAccessException("cluster " + router.cluster() + ": returning a connection failed", e);
        }
    }

    /** A replica connection that broke mid-statement: skip the replica at once rather than at the next poll. */
    @Override
    public void exception(ExecuteContext ctx) {
        Optional<Replica> server = HELD.get().peekLast();
        if (server != null && server.isPresent() && lostConnection(ctx.sqlException())) {
            Replica replica = server.get();
            ReadYourWrites.replicaFailed();
            if (replica.failed("connection lost: " + ctx.sqlException().getMessage())) {
                log.warn("Replica {} of {} lost a connection mid-statement ({}); reads go elsewhere until it answers"
                        + " a poll", replica.server().url().display(), router.cluster(), ctx.sqlException().getMessage());
            }
        }
    }

    /** Connection exceptions (class 08) and the server shutting down or starting (57P01-57P03). */
    static boolean lostConnection(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if (state != null && (state.startsWith("08") || state.matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    /** The role of the connection this thread uses right now (for statement accounting). */
    static String currentRole() {
        Optional<Replica> server = HELD.get().peekLast();
        return server != null && server.isPresent() ? REPLICA : PRIMARY;
    }
}
