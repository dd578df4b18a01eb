package org.parley.data;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Reports a running Citus shard move as it goes. The call that moves blocks its connection until the end, so this
 * reads {@code get_rebalance_progress()} (which Citus fills for a direct {@code citus_move_shard_placement} too) on
 * a connection of its own, and reports a line whenever the move's status or copied size changes.
 */
final class CitusProgress implements AutoCloseable {
    private static final String QUERY = """
            SELECT coalesce(string_agg(DISTINCT status, '/' ORDER BY status), 'moving'), count(*),
                   coalesce(sum(source_shard_size), 0), coalesce(sum(target_shard_size), 0)
            FROM get_rebalance_progress()
            """;

    private final AtomicBoolean running;
    private final Thread poller;

    private CitusProgress(AtomicBoolean running, Thread poller) {
        this.running = running;
        this.poller = poller;
    }

    static CitusProgress start(DataSource coordinator, Duration every, Consumer<String> progress) {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread poller = Thread.ofVirtual().name("citus-move-progress")
                .start(() -> poll(coordinator, every, progress, running));
        return new CitusProgress(running, poller);
    }

    private static void poll(DataSource coordinator, Duration every, Consumer<String> progress, AtomicBoolean running) {
        String last = null;
        try (Connection c = coordinator.getConnection(); Statement s = c.createStatement()) {
            while (running.get()) {
                try (ResultSet rs = s.executeQuery(QUERY)) {
                    rs.next();
                    String line = rs.getInt(2) == 0 ? null : "Citus: " + rs.getString(1).toLowerCase() + ", "
                            + rs.getInt(2) + " shards, " + kib(rs.getLong(4)) + " of " + kib(rs.getLong(3))
                            + " copied to the target.";
                    if (line != null && !Objects.equals(line, last)) {
                        progress.accept(line);
                        last = line;
                    }
                }
                Thread.sleep(every);
            }
        } catch (SQLException e) {
            // progress is a courtesy: the move itself goes on, and its own failure is what gets reported
            progress.accept("(progress reports stopped: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String kib(long bytes) {
        return (bytes / 1024) + " KiB";
    }

    /** Stops reporting and waits for the last report, so no line comes after the move's own last line. */
    @Override
    public void close() {
        running.set(false); // not interrupt(): that would break the JDBC socket mid-query, not just the sleep
        try {
            poller.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
