package org.parley.ops;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An unexpected failure — a table gone from under a console page — gives the visitor "Something went wrong (ref
 * id)", and the same id is listed at /admin/errors for administrators (only) and arrives at Sentry: the real
 * Sentry client, sending to a small HTTP listener this test runs on loopback.
 */
class ErrorsIT {
    private static HttpServer sentry;
    private static final List<String> envelopes = new CopyOnWriteArrayList<>();
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        sentry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sentry.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(body) : body;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                envelopes.add(exchange.getRequestURI().getPath() + "\n" + out.toString(StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sentry.start();
        String dsn = "http://publickey@127.0.0.1:" + sentry.getAddress().getPort() + "/42";
        server = TestServer.start(Map.of("PARLEY_SENTRY_DSN", dsn));
        ConsoleUsers.create(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        sentry.stop(0);
    }

    @Test
    void anUnexpectedErrorIsListedForAdministratorsAndSentToSentryWithItsRequestId() {
        WebClient admin = ConsoleUsers.signedIn(server, "admin");
        server.mainSql("ALTER TABLE main.audit_log RENAME TO audit_log_away");
        try {
            var failed = admin.get("/admin/audit", Map.of("X-Request-Id", "broken-audit-1"));
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).contains("Something went wrong (ref broken-audit-1)")
                    .doesNotContain("audit_log", "Exception");
        } finally {
            server.mainSql("ALTER TABLE main.audit_log_away RENAME TO audit_log");
        }

        String page = admin.get("/admin/errors").body();
        assertThat(page).contains("broken-audit-1", "GET /admin/audit", "org.jooq.exception.DataAccessException",
                "org.postgresql.util.PSQLException", "audit_log", "does not exist",
                "org.parley.moderation.AuditPage.");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(envelopes)
                .anySatisfy(e -> assertThat(e).startsWith("/api/42/envelope")
                        .contains("broken-audit-1", "request_id", "/admin/audit", "PSQLException")));
    }

    @Test
    void expectedErrorsAreNotListed() {
        WebClient admin = ConsoleUsers.signedIn(server, "admin");
        assertThat(admin.get("/no/such/page", Map.of("X-Request-Id", "plain-not-found")).statusCode()).isEqualTo(404);
        assertThat(admin.get("/admin/errors").body()).doesNotContain("plain-not-found");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"anonymous, 302", "plain, 403", "mod, 403", "admin, 200"})
    void onlyAdministratorsSeeTheErrors(String who, int expected) {
        WebClient client = who.equals("anonymous") ? server.client() : ConsoleUsers.signedIn(server, who);
        var response = client.get("/admin/errors");
        assertThat(response.statusCode()).isEqualTo(expected);
        if (expected == 403) {
            assertThat(response.body()).contains("Only administrators");
        }
    }
}
