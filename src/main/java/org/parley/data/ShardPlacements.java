package org.parley.data;

import org.parley.config.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The shard map every instance agrees on: PARLEY_SHARD_MAP as the starting point, overridden shard by shard by
 * {@code main.shard_placement}, where a finished shard move records its new home. Read at start (before shard
 * migrations, so a moved shard migrates where it now lives), re-read every {@link #POLL}, and re-read at once
 * (at most every {@link #MIN_GAP}) when a write meets a shard-move fence — which is how writers follow a move
 * within milliseconds, while readers of a not-yet-refreshed instance read the old copy, now frozen, for at most
 * one poll interval.
 */
public final class ShardPlacements implements AutoCloseable {
    public static final Duration POLL = Duration.ofSeconds(5);
    static final Duration MIN_GAP = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(ShardPlacements.class);

    private final Databases databases;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("shard-placements").factory());
    private long lastRead;

    public ShardPlacements(Databases databases) {
        this.databases = databases;
    }

    /**
     * Applies main.shard_placement once; for start-up and the command-line tools.
     *
     * @throws StartupException when a placement names a cluster this instance does not define
     */
    public static void apply(Databases databases) {
        try {
            new ShardPlacements(databases).refresh();
        } catch (IllegalArgumentException e) {
            throw new StartupException("main.shard_placement: " + e.getMessage(), e);
        }
    }

    /** Applies the placements now, then keeps following them. */
    public ShardPlacements start() {
        apply(databases);
        databases.onFence(this::refreshSoon);
        scheduler.scheduleWithFixedDelay(this::refreshLogged, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The overrides recorded in the main database, shard → cluster. */
    public static Map<Integer, String> recorded(Databases databases) {
        Map<Integer, String> placements = new LinkedHashMap<>();
        databases.main().fetch("SELECT shard, cluster FROM main.shard_placement ORDER BY shard")
                .forEach(r -> placements.put(r.get(0, Integer.class), r.get(1, String.class)));
        return placements;
    }

    /** Moves every shard whose recorded cluster differs from this instance's map; returns how many moved. */
    synchronized int refresh() {
        lastRead = System.nanoTime();
        int moved = 0;
        for (var placement : recorded(databases).entrySet()) {
            int shard = placement.getKey();
            if (shard >= databases.shardMap().shardCount()) {
                continue; // cannot happen unless someone typed it by hand: never route beyond the shard count
            }
            String current = databases.shardMap().clusterOf(shard);
            if (!current.equals(placement.getValue())) {
                databases.relocate(shard, placement.getValue());
                log.info("Logical shard {} is now served by cluster {} (was {}), per main.shard_placement",
                        ShardRouter.schemaOf(shard), placement.getValue(), current);
                moved++;
            }
        }
        return moved;
    }

    /** A writer met a fence: read the map again unless someone just did. */
    private synchronized void refreshSoon() {
        if (System.nanoTime() - lastRead >= MIN_GAP.toNanos()) {
            refreshLogged();
        }
    }

    private void refreshLogged() {
        try {
            refresh();
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.causeOf(e).isPresent()) {
                // an outage: PrimaryCircuit logs it once; a line every poll would only bury that one
                log.debug("Reading the shard map failed during an outage; keeping the current one: {}", e.toString());
                return;
            }
            log.warn("Reading the shard map from main.shard_placement failed; keeping the current one: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
