package org.parley.data;

import org.parley.db.shard.Routines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps monthly comment partitions ready ahead of time in every shard: at start, then every few hours. Each
 * instance does it; the SQL function takes an advisory lock and creates only what is missing, so running it
 * twice is harmless. Without a partition for the current month, posting would fail — hence months ahead.
 */
public final class PartitionMaintenance implements AutoCloseable {
    public static final int MONTHS_AHEAD = 3;
    public static final Duration EVERY = Duration.ofHours(6);
    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);

    private static final Pattern UPPER_BOUND = Pattern.compile("TO \\('?(-?\\d+)'?\\)");

    private final Databases databases;
    private final HistoricalPartitions history;
    private final String historicalTablespace;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("partition-maintenance").factory());

    public PartitionMaintenance(Databases databases) {
        this(databases, HistoricalPartitions.NEVER, "");
    }

    /**
     * @param historicalTablespace where historical partitions go (PARLEY_HISTORICAL_TABLESPACE); empty = they stay
     */
    public PartitionMaintenance(Databases databases, HistoricalPartitions history, String historicalTablespace) {
        this.databases = databases;
        this.history = history;
        this.historicalTablespace = historicalTablespace;
    }

    /** Runs once now (so start-up fails loudly if it cannot) and then on a schedule. */
    public PartitionMaintenance start() {
        int created = runOnce();
        if (created > 0) {
            log.info("Created {} comment partitions ahead of time", created);
        }
        scheduler.scheduleAtFixedRate(this::runLogged, EVERY.toMinutes(), EVERY.toMinutes(), TimeUnit.MINUTES);
        return this;
    }

    public int runOnce() {
        int created = 0;
        for (int shard = 0; shard < databases.shardMap().shardCount(); shard++) {
            created += databases.write(shard).select(Routines.ensureCommentPartitions(MONTHS_AHEAD)).fetchSingle().value1();
            moveHistorical(shard);
        }
        return created;
    }

    /**
     * Moves the shard's historical comment partitions (and their indexes) to the historical tablespace; returns how
     * many it moved. The move rewrites the partition under an exclusive lock — reads of that month wait meanwhile —
     * so it happens once per partition, in whichever instance takes the shard's advisory lock first.
     */
    public int moveHistorical(int shard) {
        if (historicalTablespace.isEmpty() || history.activeFrom() == Long.MIN_VALUE) {
            return 0;
        }
        String schema = ShardRouter.schemaOf(shard);
        var partitions = databases.write(shard).fetch("""
                SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
                  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                  LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace
                 WHERE i.inhparent = (? || '.comment')::regclass AND coalesce(t.spcname, '') <> ?
                 ORDER BY c.relname""", schema, historicalTablespace);
        int moved = 0;
        for (var partition : partitions) {
            Matcher upper = UPPER_BOUND.matcher(partition.get("bound", String.class));
            if (!upper.find() || Long.parseLong(upper.group(1)) > history.activeFrom()) {
                continue; // still active (or open-ended)
            }
            String table = schema + "." + partition.get("relname", String.class);
            boolean done = databases.write(shard).transactionResult(tx -> {
                if (!Boolean.TRUE.equals(tx.dsl().fetchValue("SELECT pg_try_advisory_xact_lock(hashtext(? || '.historical'))",
                        schema))) {
                    return false; // another instance is moving this shard's partitions right now
                }
                tx.dsl().execute("ALTER TABLE " + table + " SET TABLESPACE " + historicalTablespace);
                for (var index : tx.dsl().fetch("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = ?::regclass",
                        table)) {
                    tx.dsl().execute("ALTER INDEX " + index.get(0, String.class) + " SET TABLESPACE " + historicalTablespace);
                }
                return true;
            });
            if (done) {
                log.info("Moved historical partition {} to tablespace {}", table, historicalTablespace);
                moved++;
            }
        }
        return moved;
    }

    private void runLogged() {
        try {
            int created = runOnce();
            if (created > 0) {
                log.info("Created {} comment partitions ahead of time", created);
            }
        } catch (RuntimeException e) {
            log.warn("Partition maintenance failed; will retry in {}: {}", EVERY, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
