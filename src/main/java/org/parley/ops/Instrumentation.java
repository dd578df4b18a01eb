package org.parley.ops;

import com.codahale.metrics.MetricRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.parley.config.Observability;
import org.parley.data.Databases;
import org.parley.moderation.QueueGauges;

import java.time.Clock;
import java.util.List;

/**
 * An instance's view of itself, built in one place so ParleyServer only plugs it in: /metrics (registry →
 * Prometheus text, the queue gauges' refresh job) and the request metrics filter.
 */
public final class Instrumentation implements AutoCloseable {
    private final Observability settings;
    private final MetricRegistry metrics;
    private final QueueGauges queueGauges;

    private Instrumentation(Observability settings, MetricRegistry metrics, QueueGauges queueGauges) {
        this.settings = settings;
        this.metrics = metrics;
        this.queueGauges = queueGauges;
    }

    public static Instrumentation start(Observability settings, Databases databases, MetricRegistry metrics,
                                        Clock clock) {
        return new Instrumentation(settings, metrics, new QueueGauges(databases, metrics, clock).start());
    }

    /** In order, right inside the request log. */
    public List<Filter> filters() {
        return List.of(new RequestMetricsFilter(metrics));
    }

    public HttpServlet metricsServlet() {
        return new MetricsServlet(new PrometheusBridge(metrics), new MetricsAccess(settings.metricsToken()));
    }

    @Override
    public void close() {
        queueGauges.close();
    }
}
