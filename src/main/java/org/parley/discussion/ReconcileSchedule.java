package org.parley.discussion;

import org.jooq.impl.DSL;
import org.parley.data.Databases;
import org.parley.data.FleetJobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CounterReconciliation} in the background once per {@link #EVERY} across the whole fleet: every
 * instance looks every {@link #CHECK_EVERY}; the one that gets the advisory lock on the main database and finds
 * the last run (main.setting 'reconcile_last_run') old enough does the work, the others skip. Nothing is kept in
 * instance memory, so any instance may die at any time; a run cut short simply happens again at the next check.
 * A repair is logged at WARN: drift means a writer has a bug worth finding.
 */
public final class ReconcileSchedule implements AutoCloseable {
    public static final Duration EVERY = Duration.ofHours(24);
    static final Duration CHECK_EVERY = Duration.ofHours(1);
    static final String LAST_RUN = "reconcile_last_run";
    private static final Logger log = LoggerFactory.getLogger(ReconcileSchedule.class);

    /** What a check did. */
    public enum Outcome { RAN, NOT_DUE, BUSY }

    private final Databases databases;
    private final ThreadVersions versions;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("reconcile").factory());

    public ReconcileSchedule(Databases databases, ThreadVersions versions) {
        this.databases = databases;
        this.versions = versions;
    }

    /** Checks hourly, the first time an hour after start (a deploy starts every instance at once). */
    public ReconcileSchedule start() {
        scheduler.scheduleWithFixedDelay(this::checkLogged, CHECK_EVERY.toMinutes(), CHECK_EVERY.toMinutes(),
                TimeUnit.MINUTES);
        return this;
    }

    /**
     * Runs the reconciliation if no other instance is running it and the last run is {@link #EVERY} old. The lock
     * is transaction-scoped and the run's record is written in that same transaction on main: behind PgBouncer in
     * transaction mode, a session lock taken in one statement and released in another may be released on a
     * different server connection, leaving the first one holding it for good (docs/scale-out.md).
     */
    public Outcome runIfDue() {
        return FleetJobs.once(databases.main(), "reconcile", main -> {
            boolean due = main.fetchSingle("SELECT NOT EXISTS (SELECT 1 FROM main.setting WHERE key = {0}"
                    + " AND updated_at > now() - make_interval(secs => {1}))", DSL.val(LAST_RUN),
                    DSL.val(EVERY.toSeconds())).get(0, Boolean.class);
            if (!due) {
                return Outcome.NOT_DUE;
            }
            List<CounterReconciliation.ShardResult> results = new CounterReconciliation(databases,
                    CounterReconciliation.DEFAULT_BATCH, false, versions::written, versions.edgePurges())
                    .runAll(r -> { });
            long fixed = results.stream().mapToLong(r -> r.fixes().size()).sum();
            results.forEach(r -> r.fixes().forEach(fix -> log.warn("Counter drift repaired: {}", fix)));
            log.info("Counter reconciliation: {} shards checked, {} counters repaired", results.size(), fixed);
            main.execute("INSERT INTO main.setting (key, value) VALUES ({0}, {1}) ON CONFLICT (key)"
                    + " DO UPDATE SET value = excluded.value, updated_at = now()", DSL.val(LAST_RUN),
                    DSL.val(fixed + " repaired"));
            return Outcome.RAN;
        }).orElse(Outcome.BUSY);
    }

    private void checkLogged() {
        try {
            runIfDue();
        } catch (RuntimeException e) {
            log.warn("Counter reconciliation failed; will try again in {}: {}", CHECK_EVERY, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
