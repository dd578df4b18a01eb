package org.parley.moderation;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Record2;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.parley.comment.CommentView.State;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.jooq.impl.DSL.name;
import static org.parley.db.main.Tables.SITE;

/**
 * The moderation queue as two gauges — how many comments wait, and how long the oldest has waited — kept by a
 * background refresh every {@link #EVERY} rather than computed per scrape: one statement on the main schema for
 * the site ids, then ONE statement per physical database (a UNION ALL over its shard schemas, each branch on the
 * (site_id, state, id) index). The age is computed at scrape time from the oldest pending ID, which carries its
 * creation time, so it keeps growing between refreshes.
 */
public final class QueueGauges implements AutoCloseable {
    public static final Duration EVERY = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    public static final String PENDING = "parley.moderation.pending_comments";
    public static final String OLDEST_AGE = "parley.moderation.oldest_pending_age_seconds";
    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);
    private static final Field<Long> ID = DSL.field(name("id"), Long.class);

    private record Reading(long pending, Long oldestId) {
    }

    private final Databases databases;
    private final Clock clock;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("queue-gauges").factory());
    private volatile Reading last = new Reading(0, null);
    private volatile boolean failing;

    public QueueGauges(Databases databases, MetricRegistry registry, Clock clock) {
        this.databases = databases;
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

    /** Counts the pending comments of every site on every physical database. */
    public void refresh() {
        List<Long> sites = databases.main().select(SITE.ID).from(SITE).fetch(SITE.ID);
        long pending = 0;
        Long oldest = null;
        if (!sites.isEmpty()) {
            for (List<Integer> shards : shardsByCluster().values()) {
                Record2<Integer, Long> row = databases.write(shards.getFirst())
                        .select(DSL.count(), DSL.min(ID))
                        .from(pendingIn(shards, sites))
                        .fetchSingle();
                pending += row.value1();
                if (row.value2() != null && (oldest == null || row.value2() < oldest)) {
                    oldest = row.value2();
                }
            }
        }
        last = new Reading(pending, oldest);
    }

    private static Table<?> pendingIn(List<Integer> shards, List<Long> sites) {
        Select<Record1<Long>> union = null;
        for (int shard : shards) {
            Select<Record1<Long>> one = DSL.select(ID)
                    .from(DSL.table(name(ShardRouter.schemaOf(shard), "comment")))
                    .where(DSL.field(name("site_id"), Long.class).in(sites))
                    .and(DSL.field(name("state"), String.class).eq(State.PENDING.column()));
            union = union == null ? one : union.unionAll(one);
        }
        return union.asTable("pending");
    }

    private Map<String, List<Integer>> shardsByCluster() {
        Map<String, List<Integer>> byCluster = new TreeMap<>();
        var map = databases.shardMap();
        for (int shard = 0; shard < map.shardCount(); shard++) {
            byCluster.computeIfAbsent(map.clusterOf(shard), c -> new ArrayList<>()).add(shard);
        }
        return byCluster;
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
