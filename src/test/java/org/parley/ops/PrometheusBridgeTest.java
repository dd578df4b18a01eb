package org.parley.ops;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;
import org.parley.metrics.MetricNames;
import org.parley.metrics.TotalTimer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry-to-Prometheus mapping on a real registry, read back through the strict text reader. */
class PrometheusBridgeTest {
    private final MetricRegistry registry = new MetricRegistry();

    @Test
    void taggedMetricsOfOneFamilyBecomeOneLabelledFamilyWithTotals() throws IOException {
        TotalTimer.in(registry, MetricNames.tagged("parley.http.requests", "route", "/t/*", "status", "2xx"))
                .update(250, TimeUnit.MILLISECONDS);
        TotalTimer.in(registry, MetricNames.tagged("parley.http.requests", "route", "/t/*", "status", "2xx"))
                .update(750, TimeUnit.MILLISECONDS);
        TotalTimer.in(registry, MetricNames.tagged("parley.http.requests", "route", "/c/*", "status", "5xx"))
                .update(1, TimeUnit.SECONDS);
        registry.counter("parley.cache.hits").inc(7);
        registry.register("jvm.gc.pause_seconds{gc=G1}", (Monotonic) () -> 0.5);
        registry.register("parley.note", (Gauge<String>) () -> "not a number");

        var scrape = scrape();
        assertThat(scrape.types()).containsEntry("parley_http_requests_seconds", "summary")
                .containsEntry("parley_cache_hits_total", "counter")
                .containsEntry("jvm_gc_pause_seconds_total", "counter");
        var ok = Map.of("route", "/t/*", "status", "2xx");
        assertThat(scrape.one("parley_http_requests_seconds_count", ok).value()).isEqualTo(2);
        assertThat(scrape.one("parley_http_requests_seconds_sum", ok).value()).isEqualTo(1.0);
        assertThat(scrape.one("parley_http_requests_seconds", Map.of("route", "/t/*", "quantile", "0.99")).value())
                .isEqualTo(0.75);
        assertThat(scrape.one("parley_http_requests_seconds_count", Map.of("status", "5xx")).value()).isEqualTo(1);
        assertThat(scrape.one("parley_cache_hits_total", Map.of()).value()).isEqualTo(7);
        assertThat(scrape.one("jvm_gc_pause_seconds_total", Map.of("gc", "G1")).value()).isEqualTo(0.5);
        assertThat(scrape.samples()).doesNotContainKey("parley_note");
    }

    @Test
    void dottedDataLayerNamesAndHikariNamesLandInTheSameFamilies() throws IOException {
        TotalTimer.in(registry, "parley.sql.s0003.replica").update(2, TimeUnit.MILLISECONDS);
        TotalTimer.in(registry, MetricNames.tagged("parley.sql.statements", "cluster", "main", "schema", "main",
                "role", "primary")).update(1, TimeUnit.MILLISECONDS);
        registry.register("parley.replica.main.db2_5432.lag-ms", (Gauge<Long>) () -> 1500L);
        registry.register("parley.replica.main.db2_5432.usable", (Gauge<Integer>) () -> 1);
        registry.counter("parley.reads.main.replica.db2_5432").inc(4);
        registry.counter("parley.reads.main.primary.read-your-writes").inc(2);
        registry.register("pg-db2-replica-10.0.0.5-5432.pool.ActiveConnections", (Gauge<Integer>) () -> 3);
        registry.timer("pg-db2-replica-10.0.0.5-5432.pool.Wait").update(4, TimeUnit.MILLISECONDS);

        var scrape = scrape();
        assertThat(scrape.one("parley_sql_statements_seconds_count",
                Map.of("cluster", "db2", "schema", "s0003", "role", "replica")).value()).isEqualTo(1);
        assertThat(scrape.one("parley_sql_statements_seconds_count",
                Map.of("cluster", "main", "schema", "main", "role", "primary")).value()).isEqualTo(1);
        assertThat(scrape.one("parley_replica_lag_seconds", Map.of("cluster", "main", "replica", "db2_5432")).value())
                .isEqualTo(1.5);
        assertThat(scrape.one("parley_replica_usable", Map.of("replica", "db2_5432")).value()).isEqualTo(1);
        assertThat(scrape.one("parley_reads_total", Map.of("role", "replica", "replica", "db2_5432")).value())
                .isEqualTo(4);
        assertThat(scrape.one("parley_reads_total", Map.of("role", "primary", "reason", "read-your-writes")).value())
                .isEqualTo(2);
        var pool = Map.of("cluster", "db2", "role", "replica", "server", "10.0.0.5-5432");
        assertThat(scrape.one("parley_db_pool_active_connections", pool).value()).isEqualTo(3);
        assertThat(scrape.one("parley_db_pool_wait_seconds_count", pool).value()).isEqualTo(1);
    }

    @Test
    void aNameClashOfTwoKindsKeepsOneAndTheScrapeStillWorks() throws IOException {
        registry.register("parley.clash", (Gauge<Integer>) () -> 1);
        registry.counter("parley.clash{a=b}").inc();
        var scrape = scrape();
        assertThat(scrape.types()).containsEntry("parley_clash", "gauge");
        assertThat(scrape.get("parley_clash")).hasSize(1);
    }

    @Test
    void labelValuesThatWouldBreakTheConventionAreRefused() {
        assertThatThrownBy(() -> MetricNames.tagged("parley.x", "route", "a,b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricNames.tagged("parley.x", "Route", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricNames.tagged("parley.x", "route")).isInstanceOf(IllegalArgumentException.class);
    }

    private PrometheusText.Scrape scrape() throws IOException {
        var bridge = new PrometheusBridge(registry, schema -> schema.equals("s0003") ? "db2" : "main");
        var out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, bridge.scrape());
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }
}
