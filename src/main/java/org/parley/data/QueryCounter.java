package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * jOOQ listener bound to one target (a shard or the main schema, on a primary or a replica): counts every
 * statement into the current request's {@link QueryStats} and into a per-target timer. A shard's read context
 * may run a statement on a replica or on the primary; its role is asked for per statement.
 */
final class QueryCounter implements ExecuteListener {
    private static final String STARTED = "parley.started";

    private final String schema;
    private final Supplier<String> role;
    private final MetricRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** @param target "schema/role", e.g. "s0003/primary" */
    QueryCounter(String target, MetricRegistry metrics) {
        this(target.substring(0, target.indexOf('/')), fixed(target.substring(target.indexOf('/') + 1)), metrics);
    }

    QueryCounter(String schema, Supplier<String> role, MetricRegistry metrics) {
        this.schema = schema;
        this.role = role;
        this.metrics = metrics;
    }

    private static Supplier<String> fixed(String role) {
        return () -> role;
    }

    @Override
    public void executeStart(ExecuteContext ctx) {
        ctx.data(STARTED, System.nanoTime());
    }

    @Override
    public void executeEnd(ExecuteContext ctx) {
        Object started = ctx.data(STARTED);
        if (started == null) {
            return;
        }
        long elapsed = System.nanoTime() - (Long) started;
        String target = schema + "/" + role.get();
        timers.computeIfAbsent(target, t -> metrics.timer(MetricRegistry.name("parley.sql", t.replace('/', '.'))))
                .update(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
        QueryStats stats = QueryStats.current();
        if (stats != null) {
            stats.record(target, elapsed);
        }
    }
}
