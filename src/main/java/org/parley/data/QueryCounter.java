package org.parley.data;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.zaxxer.hikari.HikariDataSource;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.parley.ops.MetricNames;
import org.parley.ops.TotalTimer;

import javax.sql.DataSource;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jOOQ listener bound to one target (a shard or the main schema, on a primary or a replica): counts every
 * statement into the current request's {@link QueryStats} and into the timer
 * {@code parley.sql.statements{cluster,schema,role}} (docs/metrics.md).
 */
final class QueryCounter implements ExecuteListener {
    static final String METRIC = "parley.sql.statements";
    private static final String STARTED = "parley.started";
    private static final Pattern POOL_CLUSTER = Pattern.compile("pg-([a-z0-9_]+)-.*");

    private final String target;
    private final Timer timer;

    /** @param target "schema/role", e.g. "s0003/primary" or "main/replica" */
    QueryCounter(String target, DataSource pool, MetricRegistry metrics) {
        this.target = target;
        int slash = target.indexOf('/');
        String schema = slash < 0 ? target : target.substring(0, slash);
        String role = slash < 0 ? "primary" : target.substring(slash + 1);
        this.timer = TotalTimer.in(metrics, MetricNames.tagged(METRIC, "cluster", clusterOf(pool), "schema", schema,
                "role", role));
    }

    private static String clusterOf(DataSource pool) {
        if (pool instanceof HikariDataSource hikari && hikari.getPoolName() != null) {
            Matcher m = POOL_CLUSTER.matcher(hikari.getPoolName());
            if (m.matches()) {
                return m.group(1);
            }
        }
        return "unknown";
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
        timer.update(elapsed, TimeUnit.NANOSECONDS);
        QueryStats stats = QueryStats.current();
        if (stats != null) {
            stats.record(target, elapsed, stats.capturing() ? sqlOf(ctx) : null);
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
