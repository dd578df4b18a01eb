package org.parley.outbox;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record4;
import org.jooq.impl.DSL;
import org.parley.data.AllShards;
import org.parley.data.Databases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Delivers outbox rows; one runs in every instance, and nothing about what is being delivered lives in its memory.
 *
 * <p>Every {@code poll} it claims the due rows of main.outbox, then asks each cluster in ONE statement which of its
 * shards have due rows and claims those. A claim is one UPDATE of at most {@link #BATCH} rows picked with
 * {@code FOR UPDATE SKIP LOCKED}: it moves their {@code due_at} a {@link #LEASE} ahead and counts the attempt, so
 * no other instance sees them as due while this one delivers, and a row whose claimer died is due again when the
 * lease runs out. The result is written back only if the row still carries this claim's attempt number, so a
 * delivery that outlived its lease cannot overwrite a newer claim's result.
 *
 * <p>Each row is delivered once unless an instance dies between the SMTP server's acceptance and the commit of
 * "sent" (then it goes again after the lease): at-least-once is all SMTP and HTTP allow, and that window is one
 * delivery wide.
 *
 * <p>A worker claims only the kinds it has a courier for: during a rolling upgrade, an instance that does not know
 * a new kind leaves its rows to the instances that do, instead of dead-lettering them.
 */
public final class OutboxWorker implements AutoCloseable {
    public static final int BATCH = 20;
    /** Longer than a courier may take for one row (SMTP and webhook timeouts are far shorter; a batch's rows are
     *  delivered side by side, so the batch takes as long as its slowest row). */
    public static final Duration LEASE = Duration.ofMinutes(2);
    public static final String SENT = "parley.outbox.sent";
    public static final String HELD = "parley.outbox.held";
    public static final String RETRIED = "parley.outbox.retried";
    public static final String DEAD = "parley.outbox.dead";
    public static final String DROPPED = "parley.outbox.dropped";
    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

    /** The least time between two nudged looks: bounds the purges a busy thread sends the edge. */
    static final Duration NUDGE_GAP = Duration.ofMillis(100);

    private final Databases databases;
    private final AllShards allShards;
    private final Map<String, Courier> couriers;
    private final Backoff backoff;
    private final Duration lease;
    private final Duration poll;
    private final Meter sent;
    private final Meter held;
    private final Meter retried;
    private final Meter dead;
    private final Meter dropped;
    private volatile boolean failing;
    private final java.util.concurrent.atomic.AtomicBoolean nudged = new java.util.concurrent.atomic.AtomicBoolean();
    /** When the last nudged look started (System.nanoTime). */
    private volatile long lastNudgedLook = System.nanoTime() - NUDGE_GAP.toNanos();
    /** The SQL of {@link #shardsWithDueRows} by cluster name and shards, everything in it written out. */
    private final Map<List<Object>, String> dueLooks = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_DUE_LOOKS = 64;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("outbox").factory());

    public OutboxWorker(Databases databases, List<Courier> couriers, Backoff backoff, Duration poll,
                        MetricRegistry metrics) {
        this(databases, couriers, backoff, poll, LEASE, metrics);
    }

    /** With another lease than {@link #LEASE} (tests of a claimer that died). */
    OutboxWorker(Databases databases, List<Courier> couriers, Backoff backoff, Duration poll, Duration lease,
                 MetricRegistry metrics) {
        this.databases = databases;
        this.lease = lease;
        this.allShards = new AllShards(databases);
        this.couriers = couriers.stream().collect(Collectors.toMap(Courier::kind, Function.identity()));
        this.backoff = backoff;
        this.poll = poll;
        this.sent = metrics.meter(SENT);
        this.held = metrics.meter(HELD);
        this.retried = metrics.meter(RETRIED);
        this.dead = metrics.meter(DEAD);
        this.dropped = metrics.meter(DROPPED);
    }

    public OutboxWorker start() {
        scheduler.scheduleWithFixedDelay(this::runLogged, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Looks for due rows now rather than at the next poll: a write that queued something whose delay users see
     * (an edge purge: the comment is invisible to the edge's readers until it is sent) calls this after its
     * commit. Nudges coalesce — at most one look waits, however many writes call — run on the worker's one
     * thread, so they never overlap a poll, and are at least {@link #NUDGE_GAP} apart: a thread written hundreds of
     * times a second then costs the edge at most ten purges a second from each instance, not one per write. Rows written by other instances still wait
     * for a poll: the instance that wrote a row is the one nudged.
     */
    public void nudge() {
        if (nudged.compareAndSet(false, true)) {
            long wait = Math.max(0, lastNudgedLook + NUDGE_GAP.toNanos() - System.nanoTime());
            try {
                scheduler.schedule(() -> {
                    nudged.set(false);
                    lastNudgedLook = System.nanoTime();
                    runLogged();
                }, wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                nudged.set(false); // stopping: the row stays queued for the next instance's poll
            }
        }
    }

    /** Delivers every row due now, batch after batch; returns how many rows it handled (delivered or not). */
    public int runOnce() {
        int handled = 0;
        int batch;
        do {
            batch = claimAndDeliver(databases.main(), OutboxTable.MAIN);
            handled += batch;
        } while (batch == BATCH);
        for (int shard : shardsWithDueRows()) {
            do {
                batch = claimAndDeliver(databases.write(shard), OutboxTable.SHARD);
                handled += batch;
            } while (batch == BATCH);
        }
        return handled;
    }

    /**
     * ONE statement per cluster: the shards whose outbox has a row due now (on the partial index outbox_due). Its
     * SQL is the same on every look at a cluster with the same shards, so it is written out once
     * ({@link #dueLooks}): the worker looks up to ten times a second while a thread is written to, and jOOQ took
     * several milliseconds of CPU to write the 64-branch union each time, 3 % of an instance busy taking posts.
     */
    private List<Integer> shardsWithDueRows() {
        List<Integer> shards = new ArrayList<>();
        allShards.each(AllShards.Source.PRIMARY, cluster -> cluster.dsl().resultQuery(dueLook(cluster)).fetch()
                .getValues(0, Integer.class)).forEach(shards::addAll);
        return shards;
    }

    private String dueLook(AllShards.Cluster cluster) {
        if (dueLooks.size() > MAX_DUE_LOOKS) {
            dueLooks.clear(); // shards moved between clusters many times: forget the old layouts
        }
        return dueLooks.computeIfAbsent(List.of(cluster.name(), cluster.shards()), key -> cluster.dsl().renderInlined(
                cluster.unionAll(shard -> {
                    OutboxTable t = OutboxTable.shard(shard);
                    return DSL.select(DSL.inline(shard).as("shard"))
                            .whereExists(DSL.selectOne().from(t.table())
                                    .where(t.state().eq(OutboxTable.QUEUED))
                                    .and(t.kind().in(couriers.keySet()))
                                    .and(t.dueAt().le(DSL.currentOffsetDateTime())));
                })));
    }

    private int claimAndDeliver(DSLContext db, OutboxTable t) {
        var claimed = db.update(t.table())
                .set(t.dueAt(), nowPlus(lease))
                .set(t.attempts(), t.attempts().plus(1))
                .where(t.id().in(DSL.select(t.id()).from(t.table())
                        .where(t.state().eq(OutboxTable.QUEUED))
                        .and(t.kind().in(couriers.keySet()))
                        .and(t.dueAt().le(DSL.currentOffsetDateTime()))
                        .orderBy(t.dueAt())
                        .limit(BATCH)
                        .forUpdate().skipLocked()))
                .returningResult(t.id(), t.kind(), t.payload(), t.attempts())
                .fetch();
        // side by side, each on its own virtual thread: a receiver that takes its full timeout holds up only itself
        try (var each = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> deliveries = new ArrayList<>();
            for (Record4<Long, String, org.jooq.JSONB, Integer> row : claimed) {
                deliveries.add(each.submit(() ->
                        deliver(db, t, row.value1(), row.value2(), row.value3().data(), row.value4())));
            }
            for (Future<?> delivery : deliveries) {
                awaitRethrowing(delivery);
            }
        }
        return claimed.size();
    }

    /** Waits for one delivery; a database failure inside it goes on up, as if it had happened here. */
    private static void awaitRethrowing(Future<?> delivery) {
        try {
            delivery.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void deliver(DSLContext db, OutboxTable t, long id, String kind, String payload, int attempt) {
        Courier courier = couriers.get(kind);
        try {
            if (courier == null) {
                throw DeliveryFailure.permanent("no courier delivers '" + kind + "' on this instance", null);
            }
            Courier.Delivered delivered;
            try {
                delivered = courier.deliver(payload);
            } catch (RuntimeException bug) {
                throw DeliveryFailure.temporary("the courier failed: " + bug, bug);
            }
            finish(db, t, id, attempt, delivered.state(), delivered.note());
            switch (delivered.state()) {
                case OutboxTable.SENT -> sent.mark();
                case OutboxTable.HELD -> held.mark();
                default -> dropped.mark();
            }
        } catch (DeliveryFailure failure) {
            String reason = failure.getMessage();
            if (failure.permanent() || backoff.exhausted(attempt)) {
                finish(db, t, id, attempt, OutboxTable.DEAD, reason);
                dead.mark();
                log.warn("Outbox {} {} {} is dead after {} attempt(s): {}", t.table().getName(), kind, id, attempt,
                        reason);
            } else {
                db.update(t.table())
                        .set(t.dueAt(), nowPlus(backoff.after(attempt)))
                        .set(t.lastError(), reason)
                        .where(t.id().eq(id)).and(t.attempts().eq(attempt)).and(t.state().eq(OutboxTable.QUEUED))
                        .execute();
                retried.mark();
                log.info("Outbox {} {} {} failed (attempt {}), will retry: {}", t.table().getName(), kind, id, attempt,
                        reason);
            }
        }
    }

    private static void finish(DSLContext db, OutboxTable t, long id, int attempt, String state, String error) {
        db.update(t.table())
                .set(t.state(), state)
                .set(t.doneAt(), DSL.currentOffsetDateTime())
                .set(t.lastError(), error)
                .where(t.id().eq(id)).and(t.attempts().eq(attempt)).and(t.state().eq(OutboxTable.QUEUED))
                .execute();
    }

    /** The database's clock, not this instance's: instances whose clocks disagree still agree on what is due. */
    static Field<OffsetDateTime> nowPlus(Duration wait) {
        return DSL.field("now() + make_interval(secs => {0})", OffsetDateTime.class,
                DSL.val(wait.toMillis() / 1000.0));
    }

    private void runLogged() {
        try {
            runOnce();
            failing = false;
        } catch (RuntimeException e) {
            // a database outage: the rows stay queued and a later poll delivers them; said once, not every poll
            if (!failing) {
                log.warn("Outbox delivery paused until the databases answer: {}", e.getMessage());
            }
            failing = true;
        }
    }

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
