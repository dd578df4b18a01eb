package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

/**
 * jOOQ listener bound to one target (a shard or the main schema, on a primary or a replica): counts every
 * statement into the current request's {@link QueryStats} and into a per-target timer.
 */
final class QueryCounter implements ExecuteListener {
    private static final String STARTED = "parley.started";

    private final String target;
    private final Timer timer;

    QueryCounter(String target, MetricRegistry metrics) {
        this.target = target;
        this.timer = metrics.timer(MetricRegistry.name("parley.sql", target.replace('/', '.')));
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
        timer.update(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
        QueryStats stats = QueryStats.current();
        if (stats != null) {
            stats.record(target, elapsed);
        }
    }
}
