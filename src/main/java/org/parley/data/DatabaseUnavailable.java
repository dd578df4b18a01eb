package org.parley.data;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;

/**
 * A request needed a PostgreSQL server that cannot serve it right now — not a bug, so the visitor gets a 503 with
 * Retry-After (web.ErrorFilter) instead of "something went wrong", and the log gets one line per episode
 * ({@link PrimaryCircuit}) instead of a stack trace per request. Two kinds:
 * <ul>
 *     <li>{@link Kind#UNREACHABLE}: the server is down, restarting or cut off (refused, timed out, connection
 *     lost mid-statement);</li>
 *     <li>{@link Kind#BUSY}: the server answers, but every connection of this instance's pool stayed in use for
 *     the whole PARLEY_DB_CONNECT_TIMEOUT_MS.</li>
 * </ul>
 * A {@link SQLException} (of the transient connection class), so code that holds a plain DataSource sees what
 * JDBC would throw.
 */
public final class DatabaseUnavailable extends SQLTransientConnectionException {
    /** How soon a visitor may try again: an outage usually lasts a restart or a fail-over, i.e. tens of seconds. */
    public static final Duration RETRY_UNREACHABLE = Duration.ofSeconds(30);
    /** A pool that was busy is usually free again within seconds. */
    public static final Duration RETRY_BUSY = Duration.ofSeconds(5);
    /** A server out of disk or memory needs an operator: minutes, not seconds. */
    public static final Duration RETRY_FULL = Duration.ofSeconds(60);

    /** Unreachable: no connection; busy: no free connection in time; full: the server ran out of disk or memory. */
    public enum Kind { UNREACHABLE, BUSY, FULL }

    private final Kind kind;

    public DatabaseUnavailable(Kind kind, String message, Throwable cause) {
        // 08001: could not connect; 53000: insufficient resources (not class 08, so never read as a lost connection)
        super(message, kind == Kind.UNREACHABLE ? "08001" : "53000", cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The Retry-After a visitor is given. */
    public Duration retryAfter() {
        return switch (kind) {
            case UNREACHABLE -> RETRY_UNREACHABLE;
            case BUSY -> RETRY_BUSY;
            case FULL -> RETRY_FULL;
        };
    }

    /** The message key of the sentence for the visitor: what happened and what to do, nothing about servers. */
    public String visitorMessageKey() {
        return switch (kind) {
            case UNREACHABLE -> "error.databaseUnreachable";
            case BUSY -> "error.databaseBusy";
            case FULL -> "error.databaseFull";
        };
    }

    /**
     * The database-unavailable cause of a failed request, if that is what it was: one of ours, anywhere in the
     * cause chain (jOOQ wraps it in a DataAccessException), or a statement whose connection broke because the
     * server went away under it.
     */
    public static Optional<DatabaseUnavailable> causeOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DatabaseUnavailable unavailable) {
                return Optional.of(unavailable);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (connectionFailure(sql) || sql instanceof SQLTransientConnectionException)) {
                boolean busy = !connectionFailure(sql); // a pool timeout with no failed connect behind it
                return Optional.of(new DatabaseUnavailable(busy ? Kind.BUSY : Kind.UNREACHABLE,
                        (busy ? "no free connection: " : "connection failed: ") + sql.getMessage(), sql));
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && outOfResources(sql)) {
                return Optional.of(new DatabaseUnavailable(Kind.FULL, "the server is out of resources: "
                        + sql.getMessage(), sql));
            }
        }
        return Optional.empty();
    }

    /**
     * 53100 disk full, 53200 out of memory: the statement failed whole and wrote nothing, so the visitor may
     * simply try again later (the spool's disk-full drill). 53300, too many connections, is a connection failure.
     */
    private static boolean outOfResources(SQLException sql) {
        for (SQLException s = sql; s != null; s = s.getNextException()) {
            if ("53100".equals(s.getSQLState()) || "53200".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the request failed because no connection to the server could be had — so none of its statements
     * reached the server and nothing of it can have been written. Only a refusal by {@link PrimaryCircuit} says
     * that; a connection lost mid-transaction does not (its commit may have happened), nor does a busy pool.
     */
    public static boolean neverReachedTheServer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DatabaseUnavailable unavailable) {
                return unavailable.kind == Kind.UNREACHABLE;
            }
        }
        return false;
    }

    /**
     * Whether {@code e} says the server could not be reached or went away: a connection exception (SQLSTATE
     * class 08), the server shutting down or starting (57P01–57P03), too many connections (53300), or a network
     * error under the driver. A pool that timed out because its connections were busy is not one: HikariCP then
     * has no failed connect to report as the cause.
     */
    public static boolean connectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DatabaseUnavailable unavailable) {
                return unavailable.kind == Kind.UNREACHABLE;
            }
            if (t instanceof ConnectException || t instanceof SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    String state = s.getSQLState();
                    if (state != null && (state.startsWith("08") || state.matches("57P0[123]") || state.equals("53300"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
