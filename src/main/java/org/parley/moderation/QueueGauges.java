package org.parley.moderation;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.jooq.Record1;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.parley.data.AllShards.Source;
import org.parley.data.AllShards;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.data.ShardTables;
import org.parley.db.shard.tables.Comment;
import org.parley.discussion.CommentView.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.parley.db.main.Tables.SITE;
import static org.parley.db.shard.Tables.COMMENT;

/**
 * The moderation queue as two gauges — how many comments wait, and how long the oldest has waited — kept by a
 * background refresh every {@link #EVERY} rather than computed per scrape: one statement on the main schema for
 * the site ids, then ONE statement per physical database (a UNION ALL over its shard schemas, each branch on the
 * (site_id, state, id) index), the databases in parallel ({@link AllShards}). The age is computed at scrape time
 * from the oldest pending ID, which carries its creation time, so it keeps growing between refreshes.
 */
public final class QueueGauges implements AutoCloseable {
    public static final Duration EVERY = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    public static final String PENDING = "parley.moderation.pending_comments";
    public static final String OLDEST_AGE = "parley.moderation.oldest_pending_age_seconds";
    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);
    /** What every cluster, and so the whole fleet, holds: pending comments and the oldest one's ID. */
    record Reading(long pending, Long oldestId) {
        Reading plus(Reading other) {
            // not one conditional expression: with Math.min's long in it, Java unboxes both branches (a null: NPE)
            if (oldestId == null) {
                return new Reading(pending + other.pending, other.oldestId);
            }
            if (other.oldestId == null) {
                return new Reading(pending + other.pending, oldestId);
            }
            return new Reading(pending + other.pending, Math.min(oldestId, other.oldestId));
        }
    }

    private final Databases databases;
    private final AllShards shards;
    private final Clock clock;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("queue-gauges").factory());
    private volatile Reading last = new Reading(0, null);
    private volatile boolean failing;

    public QueueGauges(Databases databases, MetricRegistry registry, Clock clock) {
        this.databases = databases;
        this.shards = new AllShards(databases);
        this.clock = clock;
        registry.register(PENDING, (Gauge<Long>) () -> last.pending());
        registry.register(OLDEST_AGE, (Gauge<Double>) () -> {
            Long oldest = last.oldestId();
            return oldest == null ? 0.0
                    : Math.max(0, Duration.between(Ids.createdAt(oldest), clock.instant()).toMillis() / 1000.0);
        });
    }

    /** Refreshes now in the background, then every {@link #EVERY}. */
    public QueueGauges start() {
        scheduler.scheduleWithFixedDelay(this::refreshLogged, 0, EVERY.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    /** Counts the pending comments of every site on every physical database (on the primaries, as always). */
    public void refresh() {
        List<Long> sites = databases.main().select(SITE.ID).from(SITE).fetch(SITE.ID);
        last = sites.isEmpty() ? new Reading(0, null)
                : shards.combined(Source.PRIMARY, cluster -> pendingOn(cluster, sites), Reading::plus);
    }

    private static Reading pendingOn(AllShards.Cluster cluster, List<Long> sites) {
        Table<Record1<Long>> pending = cluster.unionAll(shard -> {
            Comment c = ShardTables.comment(shard);
            return DSL.select(c.ID)
                    .from(c)
                    .where(c.SITE_ID.in(sites))
                    .and(c.STATE.eq(State.PENDING.column()));
        }).asTable("pending");
        var row = cluster.fetchPlannedOnce(DSL.select(DSL.count(), DSL.min(pending.field(COMMENT.ID))).from(pending))
                .getFirst();
        return new Reading(row.get(0, Integer.class), row.get(1, Long.class));
    }

    private void refreshLogged() {
        try {
            refresh();
            if (failing) {
                log.info("Moderation queue gauges are current again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Moderation queue gauges could not be refreshed (showing the last values; retry every {}): {}",
                        EVERY, e.toString());
                failing = true;
            }
        }
    }

    /**
     * Lets a refresh in progress finish rather than interrupting it: an interrupted JDBC read breaks its pooled
     * connection, and HikariCP logs that with a stack trace on an otherwise clean stop.
     */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
