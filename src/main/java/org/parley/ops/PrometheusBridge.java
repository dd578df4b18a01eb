package org.parley.ops;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import org.parley.metrics.MetricNames;
import org.parley.metrics.TotalTimer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Dropwizard registry into Prometheus' data model at each scrape. Names follow {@link MetricNames}
 * ({@code family{label=value}}); several Dropwizard metrics of one family become one Prometheus family with
 * several labelled series. HikariCP's own names ({@code pg-main-primary-host-5432.pool.ActiveConnections}) are
 * mapped to {@code parley_db_pool_*{cluster,role,server}}, and dotted names with label values as segments are read by
 * {@link DottedNames}.
 *
 * Types: gauges → gauge ({@link Monotonic} → counter), counters and meters → counter, timers → summary in
 * seconds ({@code _sum} too for a {@link TotalTimer}), histograms → summary. Written by hand rather than with
 * the client library's Dropwizard module because, in the served version, its label mapper refuses two
 * Dropwizard metrics that map to one family ("duplicate metric name").
 */
public final class PrometheusBridge {
    private static final Logger log = LoggerFactory.getLogger(PrometheusBridge.class);
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};
    private static final Pattern HIKARI = Pattern.compile("(.+)\\.pool\\.(\\w+)");
    private static final Pattern POOL_NAME = Pattern.compile("pg-([a-z0-9_]+)-(primary|replica)-(.+)");

    private final MetricRegistry registry;
    private final DottedNames dotted;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** @param clusterOfSchema the cluster that holds a schema ("main", "s0003"): labels dotted SQL timers */
    public PrometheusBridge(MetricRegistry registry, UnaryOperator<String> clusterOfSchema) {
        this.registry = registry;
        this.dotted = new DottedNames(clusterOfSchema);
    }

    private enum Kind { GAUGE, COUNTER, SUMMARY }

    private record Point(Labels labels, double value, Snapshot snapshot, long count, double factor, Double sum) {
    }

    private static final class Family {
        final Kind kind;
        final String help;
        final List<Point> points = new ArrayList<>();

        Family(Kind kind, String help) {
            this.kind = kind;
            this.help = help;
        }
    }

    public MetricSnapshots scrape() {
        Map<String, Family> families = new TreeMap<>();
        new TreeMap<>(registry.getMetrics()).forEach((name, metric) -> {
            try {
                add(families, name, metric);
            } catch (RuntimeException e) {
                warnOnce(name, "metric " + name + " was left out of /metrics: " + e.getMessage());
            }
        });
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        families.forEach((name, family) -> {
            try {
                out.metricSnapshot(snapshot(name, family));
            } catch (RuntimeException e) {
                warnOnce(name, "family " + name + " was left out of /metrics: " + e.getMessage());
            }
        });
        return out.build();
    }

    private void add(Map<String, Family> families, String dropwizardName, Metric metric) {
        String family;
        Labels labels;
        double scale = 1;
        Optional<DottedNames.Mapped> mapped = dotted.map(dropwizardName);
        Matcher hikari = HIKARI.matcher(dropwizardName);
        if (mapped.isPresent()) {
            family = mapped.get().family();
            labels = Labels.of(mapped.get().labelPairs());
            scale = mapped.get().scale();
        } else if (hikari.matches() && !dropwizardName.contains("{")) {
            labels = poolLabels(hikari.group(1));
            String measure = snake(hikari.group(2));
            family = "parley_db_pool_" + switch (measure) {
                case "connection_timeout_rate" -> "connection_timeouts";
                case "usage", "connection_creation" -> measure + "_milliseconds";
                default -> measure;
            };
        } else {
            MetricNames.Parsed parsed = MetricNames.parse(dropwizardName);
            family = parsed.family();
            labels = Labels.of(parsed.labelPairs());
        }
        family = PrometheusNaming.sanitizeMetricName(family.replace('.', '_').replace('-', '_'));
        String help = hikari.matches() && !dropwizardName.contains("{") ? "HikariCP pool " + hikari.group(2)
                : "Parley " + stripLabels(dropwizardName);

        switch (metric) {
            case Monotonic gauge -> put(families, family, Kind.COUNTER, help,
                    new Point(labels, gauge.getValue().doubleValue() * scale, null, 0, 1, null));
            case Gauge<?> gauge -> {
                Object value = gauge.getValue();
                double number;
                if (value instanceof Number n) {
                    number = n.doubleValue();
                } else if (value instanceof Boolean b) {
                    number = b ? 1 : 0;
                } else {
                    return; // a gauge of text or a set: nothing Prometheus can plot
                }
                put(families, family, Kind.GAUGE, help, new Point(labels, number * scale, null, 0, 1, null));
            }
            case Counter counter -> put(families, family, Kind.COUNTER, help,
                    new Point(labels, counter.getCount(), null, 0, 1, null));
            case Timer timer -> {
                String seconds = family.endsWith("_seconds") ? family : family + "_seconds";
                Double sum = timer instanceof TotalTimer total ? total.totalSeconds() : null;
                put(families, seconds, Kind.SUMMARY, help,
                        new Point(labels, 0, timer.getSnapshot(), timer.getCount(), 1e-9, sum));
            }
            case Meter meter -> put(families, family, Kind.COUNTER, help,
                    new Point(labels, meter.getCount(), null, 0, 1, null));
            case Histogram histogram -> put(families, family, Kind.SUMMARY, help,
                    new Point(labels, 0, histogram.getSnapshot(), histogram.getCount(), 1, null));
            default -> {
                // a metric type Prometheus has no counterpart for
            }
        }
    }

    private void put(Map<String, Family> families, String name, Kind kind, String help, Point point) {
        Family family = families.computeIfAbsent(name, n -> new Family(kind, help));
        if (family.kind != kind) {
            warnOnce(name, "two kinds of metric map to " + name + " (" + family.kind + ", " + kind + "); kept the first");
            return;
        }
        family.points.add(point);
    }

    private static MetricSnapshot snapshot(String name, Family family) {
        String help = family.help;
        return switch (family.kind) {
            case GAUGE -> {
                var builder = GaugeSnapshot.builder().name(name).help(help);
                family.points.forEach(p -> builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(p.labels()).value(p.value()).build()));
                yield builder.build();
            }
            case COUNTER -> {
                var builder = CounterSnapshot.builder().name(name).help(help);
                family.points.forEach(p -> builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(p.labels()).value(p.value()).build()));
                yield builder.build();
            }
            case SUMMARY -> {
                var builder = SummarySnapshot.builder().name(name).help(help);
                for (Point p : family.points) {
                    var quantiles = Quantiles.builder();
                    for (double q : QUANTILES) {
                        quantiles.quantile(q, p.snapshot().getValue(q) * p.factor());
                    }
                    var point = SummarySnapshot.SummaryDataPointSnapshot.builder()
                            .labels(p.labels()).quantiles(quantiles.build()).count(p.count());
                    if (p.sum() != null) {
                        point.sum(p.sum());
                    }
                    builder.dataPoint(point.build());
                }
                yield builder.build();
            }
        };
    }

    /** Labels from Parley's pool names, pg-{cluster}-{role}-{host}-{port} (see Databases). */
    private static Labels poolLabels(String pool) {
        Matcher m = POOL_NAME.matcher(pool);
        return m.matches() ? Labels.of("cluster", m.group(1), "role", m.group(2), "server", m.group(3))
                : Labels.of("pool", pool);
    }

    /** ActiveConnections → active_connections. */
    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    private static String stripLabels(String name) {
        int brace = name.indexOf('{');
        return brace < 0 ? name : name.substring(0, brace);
    }

    private void warnOnce(String key, String message) {
        if (reported.add(key)) {
            log.warn(message);
        }
    }
}
