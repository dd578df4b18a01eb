package org.parley.data;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The connections of one logical shard: whatever pool currently holds it. A shard move switches the pool
 * underneath ({@link #moveTo}); statements and transactions that start afterwards go to the new cluster, ones
 * already running finish where they began (and meet the source's write fence if they write, see
 * {@link ShardFence}).
 */
final class ShardDataSource implements DataSource {
    private volatile DataSource current;

    ShardDataSource(DataSource initial) {
        this.current = initial;
    }

    void moveTo(DataSource pool) {
        this.current = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return current.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return current.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return current.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        current.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        current.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return current.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return current.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return current.isWrapperFor(type);
    }
}
