package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Background work that the fleet does once, whichever instance gets there first: every instance runs it on a
 * schedule; each run is one transaction on main that first takes a transaction-level advisory lock named for the
 * job, so two instances never do it at once, and what the run writes (an outbox row, its own bookkeeping) commits
 * or not together. Nothing is kept in instance memory.
 */
public final class FleetJobs {
    private static final Logger log = LoggerFactory.getLogger(FleetJobs.class);

    private FleetJobs() {
    }

    /** Runs {@code work} holding the job's lock; empty when another instance holds it. */
    public static <T> Optional<T> once(DSLContext main, String job, Function<DSLContext, T> work) {
        return main.transactionResult(tx -> {
            DSLContext db = DSL.using(tx);
            boolean mine = db.fetchSingle("SELECT pg_try_advisory_xact_lock(hashtext({0}))", DSL.val("parley." + job))
                    .get(0, Boolean.class);
            return mine ? Optional.ofNullable(work.apply(db)) : Optional.empty();
        });
    }

    /**
     * Runs {@code run} every {@code period} on a virtual thread until closed; a failure (the database away) is
     * logged and the next period tries again.
     */
    public static AutoCloseable every(Duration period, String job, Runnable run) {
        ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name(job).factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                run.run();
            } catch (RuntimeException e) {
                log.warn("{} skipped this round: {}", job, e.getMessage());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return scheduler::shutdownNow;
    }
}
