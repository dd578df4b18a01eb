package org.parley.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.ParleyServer;
import org.parley.data.DbUrl;
import org.parley.testing.Http;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;

import java.net.URI;
import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** One Parley on a real PostgreSQL, exercised over HTTP the way a browser or a balancer would. */
class ServerIT {
    private static DbUrl database;
    private static ParleyServer server;
    private static String base;

    @BeforeAll
    static void start() {
        database = TestPostgres.shared().newDatabase();
        server = ParleyServer.start(TestConfig.load(TestConfig.settingsFor(database, 8)));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theFrontPageIsRenderedThroughTheLayoutWithOneQuery() {
        var response = Http.get(base + "/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(response.body())
                .contains("<a class=\"skip-link\" href=\"#main\">Skip to content</a>") // layout
                .contains("<main id=\"main\">", "Parley is running") // page
                .contains("Default site"); // first run created it
        assertThat(response.headers().firstValue(RequestLogFilter.SQL_COUNT_HEADER)).hasValue("1");
        assertThat(response.headers().firstValue("Server-Timing")).hasValueSatisfying(v ->
                assertThat(v).startsWith("sql;desc=\"1 statements\";dur="));
        assertThat(response.headers().firstValue("Server")).isEmpty();
    }

    @Test
    void theDemoPageEmbedsTheDefaultSitesDemoDiscussion() {
        assertThat(Http.get(base + "/").body()).contains("href=\"/demo\"");
        var demo = Http.get(base + "/demo");
        assertThat(demo.statusCode()).isEqualTo(200);
        assertThat(demo.body()).contains("<div id=\"parley_thread\" data-site=\"default\" data-key=\"demo\"",
                "<script src=\"/embed.js\" async></script>");
    }

    @Test
    void healthAndReadinessAnswerInPlainText() {
        var health = Http.get(base + "/healthz");
        var ready = Http.get(base + "/readyz");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
        assertThat(ready.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }

    @Test
    void anUnknownPageIsAStyledNotFoundWithTheRequestId() {
        var response = Http.get(base + "/no/such/page", "X-Request-Id", "trace-123");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("trace-123");
        assertThat(response.body())
                .contains("Skip to content", "<h1>Not found</h1>", "There is no page at this address.", "trace-123")
                .doesNotContain("Exception", "at org.");
    }

    @Test
    void apiErrorsAreJsonProblems() {
        var response = Http.get(base + "/api/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body())
                .startsWith("{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404,")
                .contains("\"detail\":\"There is no page at this address.\"", "\"requestId\":\"");
    }

    @Test
    void aWrongMethodGetsTheSameStyledPage() {
        var response = Http.send(HttpRequest.newBuilder(URI.create(base + "/healthz"))
                .DELETE().build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.body()).contains("Skip to content", "does not accept DELETE requests")
                .doesNotContain("Exception");
    }

    @Test
    void aMalformedRequestIdIsReplacedNotEchoed() {
        var response = Http.get(base + "/healthz", "X-Request-Id", "<script>alert(1)</script>");

        assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(id ->
                assertThat(id).matches("[0-9a-f]{16}"));
    }

    @Test
    void staticFilesAreServedUnderStatic() {
        var css = Http.get(base + "/static/parley.css");
        var missing = Http.get(base + "/static/nope.css");

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
        assertThat(css.body()).contains("prefers-color-scheme: dark");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("Skip to content");
    }

    @Test
    void aSecondStartOnTheSameDatabaseCreatesNoSecondAdministrator() {
        try (ParleyServer again = ParleyServer.start(TestConfig.load(TestConfig.settingsFor(database, 8)))) {
            assertThat(again.databases().main().fetchCount(org.parley.db.main.Tables.ACCOUNT)).isEqualTo(1);
            assertThat(again.databases().main().fetchCount(org.parley.db.main.Tables.SITE)).isEqualTo(1);
        }
    }
}
