package org.parley.data;

import org.parley.db.shard.Routines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps monthly comment partitions ready ahead of time in every shard: at start, then every few hours. Each
 * instance does it; the SQL function takes an advisory lock and creates only what is missing, so running it
 * twice is harmless. Without a partition for the current month, posting would fail — hence months ahead.
 * The same pass moves partitions that became historical to their tablespace, when one is configured.
 */
public final class PartitionMaintenance implements AutoCloseable {
    public static final int MONTHS_AHEAD = 3;
    public static final Duration EVERY = Duration.ofHours(6);
    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);

    private final Databases databases;
    private final HistoricalPartitions historical;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("partition-maintenance").factory());

    public PartitionMaintenance(Databases databases, HistoricalPartitions historical) {
        this.databases = databases;
        this.historical = historical;
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
        }
        return created;
    }

    /** @return historical partitions moved to the historical tablespace, over all shards */
    public int moveHistorical() {
        int moved = 0;
        for (int shard = 0; shard < databases.shardMap().shardCount(); shard++) {
            moved += historical.moveToTablespace(databases.write(shard), ShardRouter.schemaOf(shard));
        }
        return moved;
    }

    private void runLogged() {
        try {
            int created = runOnce();
            if (created > 0) {
                log.info("Created {} comment partitions ahead of time", created);
            }
            int moved = moveHistorical();
            if (moved > 0) {
                log.info("Moved {} historical comment partitions to their tablespace", moved);
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
