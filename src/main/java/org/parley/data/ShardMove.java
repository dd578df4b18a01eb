package org.parley.data;

import org.parley.config.StartupException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Moves one logical shard (its schema) from the cluster that holds it to another while the site takes writes —
 * the procedure and its reasons are in docs/shard-moves.md. Steps, each safe to run again:
 * <ol>
 * <li>create the schema on the target with the shard migrations, then give it the source's exact partitions and
 *     empty it (the source's rows, Flyway history included, arrive by replication);</li>
 * <li>publish the source schema ({@code FOR TABLES IN SCHEMA}, via the partition root) and subscribe the target;</li>
 * <li>wait for the initial copy, then for the subscription to catch up;</li>
 * <li>fence: lock the shard's tables on the source in the writers' lock order and install a trigger that refuses
 *     every write from then on (writers retry, see {@link ShardContext});</li>
 * <li>wait until the target holds exactly the source's rows (count and checksum per table), carry the ID sequence
 *     over, wait out any clock skew so the target's IDs are larger than every source ID;</li>
 * <li>flip: record the new placement in main.shard_placement (every instance follows, see
 *     {@link ShardPlacements}); then drop the subscription and the publication.</li>
 * </ol>
 * The state is a row in main.shard_move. The source schema stays behind, fenced (read-only), for the operator
 * to drop when satisfied.
 */
public final class ShardMove {
    /** Steps in order; the state row records the last one finished. */
    enum Step { STARTED, SCHEMA_READY, COPYING, CAUGHT_UP, FENCED, FLIPPED, DONE;

        String column() {
            return name().toLowerCase();
        }

        static Step of(String column) {
            return valueOf(column.toUpperCase());
        }
    }

    /** Where a move stands, from main.shard_move. */
    record State(String source, String target, Step step) {
    }

    /** What a finished move measured. */
    public record Result(int shard, String source, String target, long pauseMillis, Map<String, Long> rows) {
    }

    /** The subscription is "caught up" when the source's slot is this close to the source's WAL end. */
    private static final long CAUGHT_UP_BYTES = 1 << 20;
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(2);
    private static final int FENCE_ATTEMPTS = 5;
    /** How long a lock on the shard's tables may wait for running writers before the mover backs off and retries. */
    private static final String LOCK_TIMEOUT = "2s";

    private final Databases databases;
    private final int shard;
    private final String schema;
    private final Consumer<String> progress;
    private final Duration timeout;
    private final String sourceConnInfo;

    /**
     * @param sourceConnInfo how the target server reaches the source (libpq conninfo); null = the source's
     *                       configured URL and credentials, which is right when both see the same network
     */
    public ShardMove(Databases databases, int shard, Consumer<String> progress, Duration timeout, String sourceConnInfo) {
        if (shard < 0 || shard >= databases.shardMap().shardCount()) {
            throw new StartupException("There is no logical shard " + shard + "; this cluster has shards 0-"
                    + (databases.shardMap().shardCount() - 1) + ".");
        }
        this.databases = databases;
        this.shard = shard;
        this.schema = ShardRouter.schemaOf(shard);
        this.progress = progress;
        this.timeout = timeout;
        this.sourceConnInfo = sourceConnInfo;
    }

    private String slot() {
        return "parley_move_" + schema;
    }

    /** Runs (or continues) the move of this shard to {@code target}. */
    public Result run(String target) {
        if (!databases.clusters().contains(target)) {
            throw new StartupException("Cluster '" + target + "' is not defined here; define PARLEY_CLUSTER_"
                    + target.toUpperCase() + "_URL (clusters: " + databases.clusters() + ").");
        }
        State state = state().orElse(null);
        String current = databases.shardMap().clusterOf(shard);
        if (state != null && state.step() != Step.DONE && !state.target().equals(target)) {
            throw new StartupException("A move of " + schema + " to '" + state.target() + "' is in progress (step "
                    + state.step().column() + "); run it again with --to " + state.target() + ", or --abort it.");
        }
        if (state == null || state.step() == Step.DONE) {
            if (current.equals(target)) {
                progress.accept(schema + " is already on cluster " + target + "; nothing to do.");
                return new Result(shard, current, target, 0, Map.of());
            }
            if (schemaExists(target)) {
                throw new StartupException("Cluster " + target + " already has a schema " + schema + " (left from an"
                        + " earlier placement?). Drop it there first: DROP SCHEMA " + schema + " CASCADE;");
            }
            state = new State(current, target, Step.STARTED);
            databases.main().execute("""
                    INSERT INTO main.shard_move (shard, source, target, step) VALUES (?, ?, ?, 'started')
                    ON CONFLICT (shard) DO UPDATE SET source = excluded.source, target = excluded.target,
                        step = 'started', started_at = now(), updated_at = now(), fenced_at = NULL, pause_ms = NULL
                    """, shard, current, target);
            progress.accept("Moving " + schema + " from cluster " + current + " to " + target + ".");
        } else {
            progress.accept("Continuing the move of " + schema + " from " + state.source() + " to " + target
                    + " after step '" + state.step().column() + "'.");
        }
        String source = state.source();
        DataSource from = databases.primaryOf(source);
        DataSource to = databases.primaryOf(target);

        if (state.step().compareTo(Step.SCHEMA_READY) < 0) {
            checkWalLevel(from, source);
            prepareTarget(from, to, target);
            record(Step.SCHEMA_READY);
        }
        if (state.step().compareTo(Step.COPYING) < 0) {
            replicate(from, to, source);
            record(Step.COPYING);
        }
        if (state.step().compareTo(Step.CAUGHT_UP) < 0) {
            awaitCopied(to);
            awaitCaughtUp(from);
            record(Step.CAUGHT_UP);
        }
        if (state.step().compareTo(Step.FENCED) < 0) {
            // the pause is measured from the first time the fence went up, across interruptions and reruns
            databases.main().execute("UPDATE main.shard_move SET fenced_at = coalesce(fenced_at, clock_timestamp())"
                    + " WHERE shard = ?", shard);
            try {
                fence(from);
            } catch (RuntimeException e) {
                if (!fenced(from)) {
                    databases.main().execute("UPDATE main.shard_move SET fenced_at = NULL WHERE shard = ?", shard);
                }
                throw e;
            }
            record(Step.FENCED);
        }
        Map<String, Long> rows = Map.of();
        if (state.step().compareTo(Step.FLIPPED) < 0) {
            rows = awaitIdentical(from, to);
            carryIds(from, to);
            flip(target);
        }
        long pause = ((Number) databases.main().fetchValue("SELECT coalesce(pause_ms, 0) FROM main.shard_move"
                + " WHERE shard = ?", shard)).longValue();
        cleanUp(from, to);
        record(Step.DONE);
        progress.accept("Done: " + schema + " is on cluster " + target + "; writes were paused for " + pause
                + " ms. The old copy on " + source + " is read-only; drop it there when you are satisfied:"
                + " DROP SCHEMA " + schema + " CASCADE;");
        return new Result(shard, source, target, pause, rows);
    }

    /** Undoes an unfinished move: writes go on at the source as before. A flipped move cannot be aborted. */
    public void abort() {
        State state = state().filter(s -> s.step() != Step.DONE).orElseThrow(() ->
                new StartupException("No move of " + schema + " is in progress; nothing to abort."));
        if (state.step().compareTo(Step.FLIPPED) >= 0) {
            throw new StartupException(schema + " was already switched to cluster " + state.target() + "; finish the"
                    + " move with --to " + state.target() + " (to undo it, move the shard back afterwards).");
        }
        DataSource from = databases.primaryOf(state.source());
        DataSource to = databases.primaryOf(state.target());
        unfence(from);
        dropReplication(from, to);
        if (schemaExists(state.target())) {
            sql(to, "DROP SCHEMA " + schema + " CASCADE");
            progress.accept("Dropped the partial copy " + schema + " on " + state.target() + ".");
        }
        databases.main().execute("DELETE FROM main.shard_move WHERE shard = ?", shard);
        progress.accept("Aborted: " + schema + " stays on cluster " + state.source() + " and takes writes.");
    }

    Optional<State> state() {
        return databases.main().fetchOptional("SELECT source, target, step FROM main.shard_move WHERE shard = ?", shard)
                .map(r -> new State(r.get(0, String.class), r.get(1, String.class), Step.of(r.get(2, String.class))));
    }

    private void record(Step step) {
        databases.main().execute("UPDATE main.shard_move SET step = ?, updated_at = now() WHERE shard = ?",
                step.column(), shard);
    }

    private boolean schemaExists(String cluster) {
        return Boolean.TRUE.equals(queryValue(databases.primaryOf(cluster),
                "SELECT to_regnamespace('" + schema + "') IS NOT NULL"));
    }

    private void checkWalLevel(DataSource from, String source) {
        Object level = queryValue(from, "SHOW wal_level");
        if (!"logical".equals(level)) {
            throw new StartupException("Cluster " + source + " runs with wal_level=" + level + "; moving a shard uses"
                    + " logical replication, which needs wal_level=logical in its postgresql.conf (and a restart).");
        }
    }

    /** The schema with the source's migrations and partitions, and no rows: replication fills it. */
    private void prepareTarget(DataSource from, DataSource to, String target) {
        if (schemaExists(target)) {
            // an earlier run stopped before the schema was ready: it holds nothing of value yet
            sql(to, "DROP SCHEMA " + schema + " CASCADE");
        }
        String sourceVersion = migratedTo(from);
        Migrations.migrateShard(to, target, shard);
        String targetVersion = migratedTo(to);
        List<String[]> partitions = new ArrayList<>();
        query(from, """
                SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
                  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = '%s.comment'::regclass ORDER BY c.relname""".formatted(schema),
                rs -> partitions.add(new String[]{rs.getString(1), rs.getString(2)}));
        List<String> ddl = new ArrayList<>();
        query(to, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = '" + schema + ".comment'::regclass", rs -> ddl.add("DROP TABLE " + schema + "."
                + rs.getString(1)));
        for (String[] p : partitions) {
            ddl.add("CREATE TABLE " + schema + "." + p[0] + " PARTITION OF " + schema + ".comment " + p[1]);
        }
        ddl.add("TRUNCATE " + String.join(", ", tables(to)));
        sql(to, ddl.toArray(String[]::new));
        progress.accept("Created " + schema + " on the target (migrations up to V" + targetVersion + ", source at V"
                + sourceVersion + ", " + partitions.size() + " comment partitions like the source's).");
        if (!sourceVersion.equals(targetVersion)) {
            throw new StartupException("The source schema is at migration V" + sourceVersion + " but this Parley's"
                    + " migrations go to V" + targetVersion + "; run 'parley migrate' first, then move again.");
        }
    }

    private String migratedTo(DataSource db) {
        return String.valueOf(queryValue(db, "SELECT version FROM " + schema + ".flyway_schema_history"
                + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1"));
    }

    /** The schema's tables, the comment partitions left out (they replicate through their root). */
    private List<String> tables(DataSource db) {
        List<String> tables = new ArrayList<>();
        query(db, """
                SELECT c.relname FROM pg_class c
                 WHERE c.relnamespace = '%s'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                 ORDER BY c.relname""".formatted(schema), rs -> tables.add(schema + "." + rs.getString(1)));
        return tables;
    }

    private void replicate(DataSource from, DataSource to, String source) {
        if (queryValue(from, "SELECT 1 FROM pg_publication WHERE pubname = '" + slot() + "'") == null) {
            sql(from, "CREATE PUBLICATION " + slot() + " FOR TABLES IN SCHEMA " + schema
                    + " WITH (publish_via_partition_root = true)");
            progress.accept("Published " + schema + " on " + source + ".");
        }
        if (queryValue(to, "SELECT 1 FROM pg_subscription WHERE subname = '" + slot() + "'") == null) {
            String conninfo = sourceConnInfo != null ? sourceConnInfo : connInfo(source);
            // CREATE SUBSCRIPTION cannot take a parameter: the conninfo is quoted as a literal
            sql(to, "CREATE SUBSCRIPTION " + slot() + " CONNECTION '" + conninfo.replace("'", "''")
                    + "' PUBLICATION " + slot() + " WITH (copy_data = true)");
            progress.accept("Subscribed the target to it: the initial copy runs.");
        }
    }

    private String connInfo(String cluster) {
        var server = databases.servers().stream()
                .filter(s -> s.cluster().equals(cluster) && s.role() == Databases.Role.PRIMARY).findFirst().orElseThrow();
        var pool = server.pool();
        String password = pool.getPassword() == null || pool.getPassword().isEmpty() ? ""
                : " password='" + pool.getPassword().replace("\\", "\\\\").replace("'", "\\'") + "'";
        return "host=" + server.url().host() + " port=" + server.url().port() + " dbname=" + server.url().database()
                + " user=" + pool.getUsername() + password;
    }

    private void awaitCopied(DataSource to) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = 0;
        while (true) {
            long[] states = new long[2];
            query(to, "SELECT count(*) FILTER (WHERE sr.srsubstate <> 'r'), count(*) FROM pg_subscription_rel sr"
                    + " JOIN pg_subscription s ON s.oid = sr.srsubid WHERE s.subname = '" + slot() + "'",
                    rs -> { states[0] = rs.getLong(1); states[1] = rs.getLong(2); });
            if (states[1] > 0 && states[0] == 0) {
                progress.accept("Initial copy done (" + states[1] + " tables).");
                return;
            }
            if (System.nanoTime() > nextReport) {
                progress.accept("Copying: " + (states[1] - states[0]) + " of " + states[1] + " tables copied.");
                nextReport = System.nanoTime() + REPORT_EVERY.toNanos();
            }
            waitOrGiveUp(deadline, "the initial copy");
        }
    }

    private void awaitCaughtUp(DataSource from) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object lag = queryValue(from, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint"
                    + " FROM pg_replication_slots WHERE slot_name = '" + slot() + "'");
            if (lag instanceof Number bytes && bytes.longValue() < CAUGHT_UP_BYTES) {
                progress.accept("Caught up: the target is " + bytes + " bytes of WAL behind.");
                return;
            }
            waitOrGiveUp(deadline, "the subscription to catch up (lag " + lag + " bytes)");
        }
    }

    /**
     * Locks the shard's tables in the order writers take them (comments, then votes and flags, then the thread),
     * so waiting here never deadlocks with a writer; then installs the fence. Writers that queue behind the lock
     * meet the fence once it commits, and retry.
     */
    private void fence(DataSource from) {
        List<String> tables = new ArrayList<>(tables(from));
        tables.remove(schema + ".flyway_schema_history"); // DDL history: nothing writes it during a move
        tables.sort(java.util.Comparator.comparingInt(t -> t.endsWith(".comment") ? 0 : t.endsWith(".thread") ? 2 : 1));
        for (int attempt = 1; ; attempt++) {
            try (Connection c = from.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
                    s.execute("LOCK TABLE " + String.join(", ", tables) + " IN EXCLUSIVE MODE");
                    s.execute(ShardFence.functionSql(schema));
                    for (String table : tables) {
                        String bare = table.substring(schema.length() + 1);
                        s.execute("DROP TRIGGER IF EXISTS " + ShardFence.TRIGGER + " ON " + table);
                        s.execute(ShardFence.triggerSql(schema, bare));
                    }
                    c.commit();
                    progress.accept("Writes to " + schema + " are paused (fence up on the source).");
                    return;
                } catch (SQLException e) {
                    c.rollback();
                    if (!"55P03".equals(e.getSQLState()) || attempt == FENCE_ATTEMPTS) { // 55P03: lock not available
                        throw e;
                    }
                    progress.accept("Long-running writers hold " + schema + "; trying the fence again (" + attempt + ").");
                }
            } catch (SQLException e) {
                throw failure("installing the write fence on the source", e);
            }
        }
    }

    /** Whether the source's thread table carries the fence trigger. */
    private boolean fenced(DataSource from) {
        return queryValue(from, "SELECT 1 FROM pg_trigger WHERE tgname = '" + ShardFence.TRIGGER + "' AND tgrelid = to_regclass('"
                + schema + ".thread')") != null;
    }

    private void unfence(DataSource from) {
        if (queryValue(from, "SELECT to_regnamespace('" + schema + "') IS NOT NULL") != Boolean.TRUE) {
            return;
        }
        List<String> ddl = new ArrayList<>();
        for (String table : tables(from)) {
            ddl.add("DROP TRIGGER IF EXISTS " + ShardFence.TRIGGER + " ON " + table);
        }
        sql(from, ddl.toArray(String[]::new));
        progress.accept("Writes to " + schema + " on the source are open again.");
    }

    /** Waits until every table holds the same rows on both sides; the source no longer changes. */
    private Map<String, Long> awaitIdentical(DataSource from, DataSource to) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> source = fingerprints(from);
        while (true) {
            Map<String, String> target = fingerprints(to);
            if (target.equals(source)) {
                Map<String, Long> rows = new LinkedHashMap<>();
                source.forEach((table, print) -> rows.put(table, Long.parseLong(print.substring(0, print.indexOf(' ')))));
                progress.accept("Verified: the target holds the source's rows exactly " + rows + ".");
                return rows;
            }
            if (System.nanoTime() > deadline) {
                throw new StartupException("The target never matched the source (source " + source + ", target "
                        + target + "); writes stay paused. Look at the target server's log, then run the move again,"
                        + " or --abort it to resume writes on the source.");
            }
            sleep(POLL);
        }
    }

    /** Per table: row count and an order-independent checksum of every row's text. */
    private Map<String, String> fingerprints(DataSource db) {
        Map<String, String> prints = new LinkedHashMap<>();
        for (String table : tables(db)) {
            query(db, "SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)"
                    + " FROM " + table + " t", rs -> prints.put(table, rs.getLong(1) + " " + rs.getString(2)));
        }
        return prints;
    }

    /**
     * Logical replication leaves sequences behind: the target's ID sequence continues from the source's, and the
     * target waits until its clock is past the newest source ID's millisecond, so its IDs sort after the source's
     * even if its clock runs a little behind.
     */
    private void carryIds(DataSource from, DataSource to) {
        long last = ((Number) queryValue(from, "SELECT last_value FROM " + schema + ".id_seq")).longValue();
        sql(to, "SELECT setval('" + schema + ".id_seq', greatest(" + last + ", (SELECT last_value FROM " + schema
                + ".id_seq)))");
        Object newest = queryValue(from, "SELECT greatest((SELECT max(id) FROM " + schema + ".thread), (SELECT max(id)"
                + " FROM " + schema + ".comment))");
        if (newest instanceof Number id) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (((Number) queryValue(to, "SELECT (floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint"
                    + " - 1704067200000) << 23")).longValue() <= id.longValue()) {
                waitOrGiveUp(deadline, "the target's clock to pass the newest source ID (clocks more than 10 s apart?)");
            }
        }
    }

    private void flip(String target) {
        databases.main().transaction(tx -> {
            tx.dsl().execute("INSERT INTO main.shard_placement (shard, cluster) VALUES (?, ?) ON CONFLICT (shard)"
                    + " DO UPDATE SET cluster = excluded.cluster, placed_at = now()", shard, target);
            tx.dsl().execute("UPDATE main.shard_move SET step = 'flipped', updated_at = now(),"
                    + " pause_ms = (extract(epoch FROM clock_timestamp() - fenced_at) * 1000)::integer WHERE shard = ?",
                    shard);
        });
        databases.relocate(shard, target);
        progress.accept("Switched: " + schema + " is served by cluster " + target + "; writers move over now.");
    }

    private void cleanUp(DataSource from, DataSource to) {
        dropReplication(from, to);
    }

    private void dropReplication(DataSource from, DataSource to) {
        if (queryValue(to, "SELECT 1 FROM pg_subscription WHERE subname = '" + slot() + "'") != null) {
            sql(to, "DROP SUBSCRIPTION " + slot()); // also drops its replication slot on the source
            progress.accept("Dropped the subscription (and the source's replication slot).");
        }
        if (queryValue(from, "SELECT 1 FROM pg_publication WHERE pubname = '" + slot() + "'") != null) {
            sql(from, "DROP PUBLICATION " + slot());
            progress.accept("Dropped the publication on the source.");
        }
    }

    private void waitOrGiveUp(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new StartupException("Gave up after " + timeout.toSeconds() + " s waiting for " + what + " of "
                    + schema + ". Nothing is lost: run the command again to continue, or --abort it.");
        }
        sleep(POLL);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("Interrupted; run the command again to continue the move.", e);
        }
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(DataSource db, String sql, Row row) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                row.read(rs);
            }
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    private Object queryValue(DataSource db, String sql) {
        Object[] value = new Object[1];
        query(db, sql, rs -> value[0] = rs.getObject(1));
        return value[0];
    }

    /** Each statement on its own (autocommit): CREATE/DROP SUBSCRIPTION refuse to run inside a transaction. */
    private void sql(DataSource db, String... statements) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw failure(String.join("; ", statements), e);
        }
    }

    private StartupException failure(String what, SQLException e) {
        return new StartupException("Moving " + schema + " failed at: " + what + " — " + e.getMessage()
                + ". Run the command again to continue, or --abort it.", e);
    }
}
