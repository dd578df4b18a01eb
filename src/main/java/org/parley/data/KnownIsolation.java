package org.parley.data;

import org.jooq.ConnectionProvider;
import org.jooq.tools.jdbc.DefaultConnection;

import java.sql.Connection;

/**
 * Answers jOOQ's question about a connection's isolation level without a round trip to the server.
 *
 * <p>jOOQ 3.21 asks it at the start of every transaction ({@link Connection#getTransactionIsolation}, which
 * pgjdbc sends as {@code SHOW TRANSACTION ISOLATION LEVEL}: jOOQ issue #20135), only to put the level back if the
 * transaction asked for another. That was one more statement for every transaction, before its {@code BEGIN}.
 * Parley never asks for another level (no isolation {@code TransactionProperty}, no {@code setTransactionIsolation}:
 * this class refuses it), so every transaction runs at the server's default. The answer given here assumes that
 * default is PostgreSQL's own, READ COMMITTED; jOOQ uses it only to restore a level it changed, which it never does
 * here, so a server configured otherwise is not affected either.
 */
final class KnownIsolation implements ConnectionProvider {
    private final ConnectionProvider connections;

    KnownIsolation(ConnectionProvider connections) {
        this.connections = connections;
    }

    @Override
    public Connection acquire() {
        return new Answering(connections.acquire());
    }

    @Override
    public void release(Connection connection) {
        connections.release(((Answering) connection).getDelegate());
    }

    private static final class Answering extends DefaultConnection {
        Answering(Connection delegate) {
            super(delegate);
        }

        @Override
        public int getTransactionIsolation() {
            return TRANSACTION_READ_COMMITTED;
        }

        @Override
        public void setTransactionIsolation(int level) {
            throw new UnsupportedOperationException("Parley runs every transaction at the server's default isolation"
                    + " level (KnownIsolation answers jOOQ with it)");
        }
    }
}
