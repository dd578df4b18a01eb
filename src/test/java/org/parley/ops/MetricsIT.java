package org.parley.ops;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.data.QueryStats;
import org.parley.data.ShardRouter;
import org.parley.moderation.QueueGauges;
import org.parley.testing.Http;
import org.parley.testing.MutableClock;
import org.parley.testing.TestServer;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /metrics on a running Parley after real traffic: it parses as Prometheus text, carries every name the Grafana
 * dashboard reads, counts requests by route and status class and SQL by cluster, schema and role, and is only
 * served to this machine or to the bearer of the token.
 */
class MetricsIT {
    static final String TOKEN = "metrics-token-for-tests-0123456789";
    static final Path DASHBOARD = Path.of("ops/grafana/parley.json");
    /**
     * Names the dashboard reads that exist only when their feature is configured: replica lag gauges appear per
     * replica (PARLEY_DB_REPLICAS), and this server has none. Each must still be documented in docs/metrics.md.
     */
    static final Set<String> ONLY_WHEN_CONFIGURED = Set.of("parley_replica_lag_seconds");
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("PARLEY_METRICS_TOKEN", TOKEN));

    @BeforeAll
    static void start() {
        var client = server.client();
        for (int i = 0; i < 3; i++) {
            assertThat(client.get(TestServer.embedPath("metrics-" + i)).statusCode()).isEqualTo(200);
            assertThat(client.get(TestServer.standalonePath("metrics-" + i)).statusCode()).isEqualTo(200);
        }
        assertThat(client.get("/").statusCode()).isEqualTo(200);
        assertThat(client.get("/no/such/page").statusCode()).isEqualTo(404);
    }

    @Test
    void theScrapeParsesAndHasEveryNameTheDashboardUses() throws IOException {
        HttpResponse<String> response = Http.get(server.base() + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        var scrape = PrometheusText.parse(response.body());

        String dashboard = Files.readString(DASHBOARD);
        var expressions = DashboardExpressions.of(dashboard);
        assertThat(expressions).hasSizeGreaterThan(15);
        Set<String> used = new TreeSet<>();
        expressions.forEach(e -> used.addAll(DashboardExpressions.metricNames(e)));
        assertThat(used).contains("parley_http_requests_seconds_count", "parley_sql_statements_seconds_sum",
                "parley_db_pool_active_connections", "parley_cache_hits_total", "parley_moderation_pending_comments",
                "parley_replica_lag_seconds", "jvm_memory_used_bytes", "jvm_gc_pause_seconds_total");
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(scrape.samples().keySet());
        assertThat(missing).as("dashboard names absent from /metrics").isEqualTo(ONLY_WHEN_CONFIGURED);
        String docs = Files.readString(Path.of("docs/metrics.md"));
        ONLY_WHEN_CONFIGURED.forEach(name -> assertThat(docs).contains(name));
    }

    @Test
    void requestsAreCountedByRouteAndStatusClassAndTheirSqlByRoute() {
        var before = scrape();
        long sql = 0;
        for (int i = 0; i < 4; i++) {
            var page = server.client().get(TestServer.standalonePath("metrics-0"));
            assertThat(page.statusCode()).isEqualTo(200);
            sql += Long.parseLong(page.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
        }
        server.client().get("/no/such/page");
        var after = scrape();

        var thread = Map.of("route", "/t/:site/:key", "status", "2xx");
        assertThat(after.one("parley_http_requests_seconds_count", thread).value()
                - before.one("parley_http_requests_seconds_count", thread).value()).isEqualTo(4);
        assertThat(after.one("parley_http_requests_seconds_sum", thread).value())
                .isGreaterThan(before.one("parley_http_requests_seconds_sum", thread).value());
        assertThat(after.one("parley_http_requests_seconds", Map.of("route", "/t/:site/:key", "status", "2xx",
                "quantile", "0.95")).value()).isPositive();
        var unknown = Map.of("route", "other", "status", "4xx");
        assertThat(after.one("parley_http_requests_seconds_count", unknown).value()
                - before.one("parley_http_requests_seconds_count", unknown).value()).isEqualTo(1);
        assertThat(after.one("parley_http_sql_statements_total", Map.of("route", "/t/:site/:key")).value()
                - before.one("parley_http_sql_statements_total", Map.of("route", "/t/:site/:key")).value()).isEqualTo(sql);
        // raw paths never become labels
        assertThat(after.get("parley_http_requests_seconds_count"))
                .allSatisfy(s -> assertThat(s.labels().get("route")).doesNotContain("metrics-0", "no/such"));
    }

    @Test
    void sqlIsCountedByClusterSchemaAndRoleAndPoolsAndJvmAreThere() {
        String schema = ShardRouter.schemaOf(server.thread("metrics-1").shard());
        var scrape = scrape();
        assertThat(scrape.one("parley_sql_statements_seconds_count",
                Map.of("cluster", "main", "schema", schema, "role", "primary")).value()).isPositive();
        assertThat(scrape.one("parley_sql_statements_seconds_count",
                Map.of("cluster", "main", "schema", "main", "role", "primary")).value()).isPositive();
        assertThat(scrape.one("parley_db_pool_max_connections", Map.of("cluster", "main", "role", "primary")).value())
                .isEqualTo(10);
        assertThat(scrape.types()).containsEntry("parley_db_pool_wait_seconds", "summary")
                .containsEntry("parley_cache_hits_total", "counter")
                .containsEntry("jvm_gc_pause_seconds_total", "counter");
        assertThat(scrape.one("parley_cache_hits_total", Map.of()).value()).isPositive();
        assertThat(scrape.one("jvm_memory_used_bytes", Map.of("area", "heap")).value()).isPositive();
        assertThat(scrape.one("jvm_threads_live", Map.of()).value()).isPositive();
    }

    @Test
    void onlyThisMachineOrTheTokenBearerMayRead() {
        String url = server.base() + "/metrics";
        assertThat(Http.get(url).statusCode()).isEqualTo(200);
        // a visitor forwarded by nginx or HAProxy on this machine also arrives from 127.0.0.1
        var forwarded = Http.get(url, "X-Forwarded-For", "203.0.113.7");
        assertThat(forwarded.statusCode()).isEqualTo(401);
        assertThat(forwarded.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        assertThat(forwarded.body()).doesNotContain("parley_http_requests");
        assertThat(Http.get(url, "Forwarded", "for=203.0.113.7", "Authorization", "Bearer wrong-token-of-some-length")
                .statusCode()).isEqualTo(401);
        var withToken = Http.get(url, "X-Forwarded-For", "203.0.113.7", "Authorization", "Bearer " + TOKEN);
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withToken.body()).contains("parley_http_requests_seconds_count");
    }

    /** Pending comments and the oldest one's age, for one statement on main plus one per physical database. */
    @Test
    void theModerationQueueGaugesCostOneStatementPerDatabase() {
        var clock = new MutableClock(Instant.now());
        var registry = new MetricRegistry();
        try (var gauges = new QueueGauges(server.parley().databases(), registry, clock)) {
            QueryStats stats = QueryStats.begin();
            try {
                gauges.refresh();
            } finally {
                QueryStats.end();
            }
            assertThat(stats.count()).isEqualTo(2); // site ids on main, then the one physical database
            long before = ((Number) registry.getGauges().get(QueueGauges.PENDING).getValue()).longValue();

            server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
            try {
                server.post(server.thread("metrics-queue-a"), null, "Waiting for a moderator");
                server.post(server.thread("metrics-queue-b"), null, "Also waiting");
            } finally {
                server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
            }
            gauges.refresh();
            clock.advance(Duration.ofMinutes(10));
            assertThat(((Number) registry.getGauges().get(QueueGauges.PENDING).getValue()).longValue())
                    .isEqualTo(before + 2);
            // the clock started before the comments were written: their age is just under the 10 minutes
            assertThat(((Number) registry.getGauges().get(QueueGauges.OLDEST_AGE).getValue()).doubleValue())
                    .isBetween(570.0, 600.0);
        }
    }

    private static PrometheusText.Scrape scrape() {
        HttpResponse<String> response = Http.get(server.base() + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }
}
