package org.parley.ops;

import com.codahale.metrics.MetricRegistry;
import jakarta.servlet.Filter;
import org.parley.account.Viewers;
import org.parley.build.BuildInfo;
import org.parley.config.Observability;
import org.parley.data.ClusterConfig;
import org.parley.data.Databases;
import org.parley.data.ShardMap;
import org.parley.moderation.Console;
import org.parley.moderation.QueueGauges;
import org.parley.web.UnexpectedErrors;

import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An instance's view of itself, built in one place so ParleyServer only plugs it in: /metrics (registry →
 * Prometheus text, the queue gauges' refresh job), the request metrics and query inspector filters, and where
 * unexpected errors go (the in-memory list always, Sentry when PARLEY_SENTRY_DSN is set).
 */
public final class Instrumentation implements AutoCloseable {
    private final Observability settings;
    private final MetricRegistry metrics;
    private final Clock clock;
    private final QueueGauges queueGauges;
    private final RecentErrors recentErrors;
    private final SentryErrors sentry;
    private final QueryInspector inspector = new QueryInspector();
    private final UnaryOperator<String> clusterOfSchema;

    private Instrumentation(Observability settings, MetricRegistry metrics, Clock clock, QueueGauges queueGauges,
                            SentryErrors sentry, UnaryOperator<String> clusterOfSchema) {
        this.clusterOfSchema = clusterOfSchema;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.queueGauges = queueGauges;
        this.recentErrors = new RecentErrors(clock);
        this.sentry = sentry;
    }

    public static Instrumentation start(Observability settings, Databases databases, MetricRegistry metrics,
                                        Clock clock) {
        SentryErrors sentry = settings.sentryDsn().isEmpty() ? null : SentryErrors.start(settings.sentryDsn(), release());
        ShardMap shards = databases.shardMap();
        UnaryOperator<String> clusterOfSchema = schema -> schema.matches("s\\d+")
                && Integer.parseInt(schema.substring(1)) < shards.shardCount()
                ? shards.clusterOf(Integer.parseInt(schema.substring(1))) : ClusterConfig.MAIN;
        return new Instrumentation(settings, metrics, clock, new QueueGauges(databases, metrics, clock).start(), sentry,
                clusterOfSchema);
    }

    /** In order, right inside the request log: request timers, then the inspector's sampling. */
    public List<Filter> filters(Viewers viewers) {
        return List.of(new RequestMetricsFilter(metrics),
                new InspectorFilter(inspector, viewers, settings.inspectorSampleRate(), clock));
    }

    public UnexpectedErrors[] errorListeners() {
        return sentry == null ? new UnexpectedErrors[]{recentErrors} : new UnexpectedErrors[]{recentErrors, sentry};
    }

    public MetricsEndpoint metricsEndpoint() {
        return new MetricsEndpoint(new PrometheusBridge(metrics, clusterOfSchema));
    }

    /** Who may scrape {@link #metricsEndpoint()}: this machine, or the bearer of PARLEY_METRICS_TOKEN. */
    public MetricsAccess metricsAccess() {
        return new MetricsAccess(settings.metricsToken());
    }

    public ErrorsPage errorsPage(Console console) {
        return new ErrorsPage(recentErrors, sentry != null, console);
    }

    public QueryInspectorPages inspectorPages(Console console) {
        return new QueryInspectorPages(inspector, settings.inspectorSampleRate(), console);
    }

    private static String release() {
        return "parley@" + BuildInfo.version().orElse("dev");
    }

    @Override
    public void close() {
        queueGauges.close();
        if (sentry != null) {
            sentry.close();
        }
    }
}
