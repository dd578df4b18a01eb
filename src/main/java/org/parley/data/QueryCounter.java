package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.parley.metrics.MetricNames;
import org.parley.metrics.TotalTimer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * jOOQ listener bound to one target (a shard or the main schema of one cluster): counts every statement into the
 * current request's {@link QueryStats} and into the timer {@code parley.sql.statements{cluster,schema,role}}
 * (docs/metrics.md). A shard's read context may run a statement on a replica or on the primary; its role is asked
 * for per statement.
 */
final class QueryCounter implements ExecuteListener {
    static final String METRIC = "parley.sql.statements";
    private static final String STARTED = "parley.started";

    private final String cluster;
    private final String schema;
    private final Supplier<String> role;
    private final MetricRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** @param target "schema/role", e.g. "s0003/primary" or "main/primary" */
    QueryCounter(String cluster, String target, MetricRegistry metrics) {
        this(cluster, target.substring(0, target.indexOf('/')), fixed(target.substring(target.indexOf('/') + 1)),
                metrics);
    }

    QueryCounter(String cluster, String schema, Supplier<String> role, MetricRegistry metrics) {
        this.cluster = cluster;
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
        String role = this.role.get();
        timers.computeIfAbsent(role, r -> TotalTimer.in(metrics,
                        MetricNames.tagged(METRIC, "cluster", cluster, "schema", schema, "role", r)))
                .update(elapsed, TimeUnit.NANOSECONDS);
        QueryStats stats = QueryStats.current();
        if (stats != null) {
            stats.record(schema + "/" + role, elapsed, stats.capturing() ? sqlOf(ctx) : null);
        }
    }

    private static String sqlOf(ExecuteContext ctx) {
        if (ctx.sql() != null) {
            return ctx.sql();
        }
        String[] batch = ctx.batchSQL();
        return batch.length == 0 ? "?" : batch[0] + (batch.length > 1 ? " -- and " + (batch.length - 1) + " more in the batch" : "");
    }
}
