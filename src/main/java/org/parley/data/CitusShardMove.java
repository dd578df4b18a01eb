package org.parley.data;

import org.parley.config.StartupException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Moves one logical shard to another worker when Parley runs on Citus: the shard is a distributed schema, all of
 * whose tables share one colocation group, and {@code citus_move_shard_placement} on any one of its shards moves
 * the whole group — copy, catch-up by logical replication, a short write block while the last changes apply,
 * then Citus's metadata points at the new worker. Parley has nothing to switch: it talks only to the coordinator,
 * which routes to wherever the schema lives (docs/scale-out.md, "Citus (in progress)").
 *
 * <p>Unlike {@link ShardMove} there is no state to continue: Citus runs the move as one call, cleans up an
 * interrupted one itself (pg_dist_cleanup) and leaves the schema where it was until the switch commits, so a
 * failed or interrupted move is simply run again. A finished move is recorded in main.shard_move like Parley's
 * own (step {@code done}, workers as {@code host:port}).
 */
public final class CitusShardMove {
    /** How often Citus's progress view is read while the move runs. */
    private static final Duration REPORT_EVERY = Duration.ofSeconds(1);
    /** Citus's own names for how the rows are copied ({@code citus.shard_transfer_mode}). */
    public static final List<String> TRANSFER_MODES = List.of("auto", "force_logical", "block_writes");

    /** A Citus node as pg_dist_node names it: how an operator names a worker to {@code --to}. */
    public record Node(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }

        /** {@code host:port}, or null when {@code text} is not spelled that way. */
        static Node parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                return null;
            }
            try {
                return new Node(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** What a finished move did. */
    public record Result(int shard, Node source, Node target, long millis, int shardsMoved) {
    }

    private final DataSource coordinator;
    private final int shard;
    private final String schema;
    private final Consumer<String> progress;
    private final Duration timeout;
    private final String transferMode;

    /**
     * @param coordinator  the Citus coordinator's database (the primary of the cluster that holds the shard)
     * @param transferMode one of {@link #TRANSFER_MODES}: {@code auto} uses logical replication (writes continue
     *                     until the final catch-up) and fails if a table has no replica identity
     */
    public CitusShardMove(DataSource coordinator, int shardCount, int shard, Consumer<String> progress,
                          Duration timeout, String transferMode) {
        if (shard < 0 || shard >= shardCount) {
            throw new StartupException("There is no logical shard " + shard + "; this cluster has shards 0-"
                    + (shardCount - 1) + ".");
        }
        if (!TRANSFER_MODES.contains(transferMode)) {
            throw new StartupException("--transfer-mode must be one of " + TRANSFER_MODES + ", got '"
                    + transferMode + "'.");
        }
        this.coordinator = coordinator;
        this.shard = shard;
        this.schema = ShardRouter.schemaOf(shard);
        this.progress = progress;
        this.timeout = timeout;
        this.transferMode = transferMode;
    }

    /** Moves the shard's schema to the worker {@code to} ({@code host:port} as in pg_dist_node). */
    public Result run(String to) {
        try (Connection c = coordinator.getConnection()) {
            List<Node> workers = workers(c);
            Node target = Node.parse(to);
            if (target == null || !workers.contains(target)) {
                throw new StartupException("On Citus, --to names a worker as host:port, as pg_dist_node lists it;"
                        + " '" + to + "' is not one. Workers: " + join(workers) + ".");
            }
            Placement placement = placement(c).orElseThrow(() -> new StartupException(schema + " is not a Citus"
                    + " distributed schema here (not in pg_dist_schema): run `parley migrate` against the coordinator"
                    + " first."));
            if (placement.node().equals(target)) {
                progress.accept(schema + " is already on worker " + target + "; nothing to do.");
                return new Result(shard, target, target, 0, 0);
            }
            int shards = colocatedShards(c, placement.shardId());
            progress.accept("Moving " + schema + " (" + shards + " Citus shards in one colocation group) from worker "
                    + placement.node() + " to " + target + " with citus_move_shard_placement, transfer mode "
                    + transferMode + ".");
            long started = System.nanoTime();
            try (CitusProgress reporter = CitusProgress.start(coordinator, REPORT_EVERY, progress)) {
                move(c, placement, target);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            Node now = placement(c).map(Placement::node).orElse(null);
            if (!target.equals(now)) {
                throw new StartupException("Citus reported the move of " + schema + " done, but pg_dist_placement"
                        + " puts it on " + now + ", not " + target + ".");
            }
            recordDone(c, placement.node(), target, millis);
            progress.accept("Moved " + schema + " to worker " + target + " in " + millis + " ms; Parley keeps"
                    + " writing through the coordinator, nothing to switch. Citus drops the old copy on "
                    + placement.node() + " in the background.");
            return new Result(shard, placement.node(), target, millis, shards);
        } catch (SQLException e) {
            throw new StartupException("Moving " + schema + " by Citus failed: " + e.getMessage()
                    + " (nothing switched: the schema stays where it was; run the command again)", e);
        }
    }

    private record Placement(long shardId, Node node) {
    }

    /**
     * Keeps the finished move in main.shard_move, where Parley's own moves are kept (one row per shard, the last
     * move), so an operator finds every shard's last move in one place whatever moved it. Source and target are
     * workers ({@code host:port}); the write pause stays empty: Citus does not measure it. Only a finished move is
     * recorded — a failed one is rolled back by Citus, so there is no state to continue from.
     */
    private void recordDone(Connection c, Node source, Node target, long millis) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO main.shard_move (shard, source, target, step, started_at, updated_at)
                VALUES (?, ?, ?, 'done', clock_timestamp() - ? * interval '1 millisecond', clock_timestamp())
                ON CONFLICT (shard) DO UPDATE SET source = excluded.source, target = excluded.target, step = 'done',
                    started_at = excluded.started_at, updated_at = excluded.updated_at, fenced_at = NULL,
                    pause_ms = NULL
                """)) {
            s.setInt(1, shard);
            s.setString(2, source.toString());
            s.setString(3, target.toString());
            s.setLong(4, millis);
            s.executeUpdate();
        }
    }

    /**
     * The one Citus shard of the schema's thread table and the worker holding it; every other table of the schema
     * is colocated with it (schema-based sharding), so it stands for the whole schema.
     */
    private Optional<Placement> placement(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT sh.shardid, n.nodename, n.nodeport
                FROM pg_dist_schema ds
                JOIN pg_dist_partition p ON p.colocationid = ds.colocationid
                JOIN pg_dist_shard sh ON sh.logicalrelid = p.logicalrelid
                JOIN pg_dist_placement pl ON pl.shardid = sh.shardid
                JOIN pg_dist_node n ON n.groupid = pl.groupid AND n.noderole = 'primary'
                WHERE ds.schemaid = to_regnamespace(?)
                ORDER BY sh.shardid
                LIMIT 1
                """)) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Placement(rs.getLong(1), new Node(rs.getString(2), rs.getInt(3))))
                        : Optional.empty();
            }
        }
    }

    private static int colocatedShards(Connection c, long shardId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT count(*)
                FROM pg_dist_shard sh
                JOIN pg_dist_partition p ON p.logicalrelid = sh.logicalrelid
                WHERE p.colocationid = (SELECT p2.colocationid FROM pg_dist_shard sh2
                                        JOIN pg_dist_partition p2 ON p2.logicalrelid = sh2.logicalrelid
                                        WHERE sh2.shardid = ?)
                """)) {
            s.setLong(1, shardId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Active primary workers that may hold shards (the coordinator's group 0 is not a move target). */
    private static List<Node> workers(Connection c) throws SQLException {
        List<Node> workers = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT nodename, nodeport FROM pg_dist_node
                WHERE noderole = 'primary' AND isactive AND groupid <> 0
                ORDER BY nodename, nodeport
                """)) {
            while (rs.next()) {
                workers.add(new Node(rs.getString(1), rs.getInt(2)));
            }
        }
        return workers;
    }

    private void move(Connection c, Placement from, Node to) throws SQLException {
        try (Statement s = c.createStatement()) {
            // the call blocks until the move is done: --timeout bounds it; on timeout Citus cleans up, nothing moved
            s.execute("SET statement_timeout = " + timeout.toMillis());
            try (PreparedStatement move = c.prepareStatement("SELECT citus_move_shard_placement(?, ?, ?, ?, ?,"
                    + " shard_transfer_mode => ?::citus.shard_transfer_mode)")) {
                move.setLong(1, from.shardId());
                move.setString(2, from.node().host());
                move.setInt(3, from.node().port());
                move.setString(4, to.host());
                move.setInt(5, to.port());
                move.setString(6, transferMode);
                move.execute();
            } finally {
                s.execute("RESET statement_timeout");
            }
        }
    }

    private static String join(List<Node> nodes) {
        return nodes.isEmpty() ? "none (add one with citus_add_node)"
                : String.join(", ", nodes.stream().map(Node::toString).toList());
    }
}
