package org.parley.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.ParleyServer;
import org.parley.testing.Http;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /readyz follows the database: a balancer stops sending traffic while PostgreSQL is down, and resumes after. */
class ReadinessIT {
    private static TestPostgres postgres;
    private static ParleyServer server;
    private static String base;

    @BeforeAll
    static void start() {
        postgres = TestPostgres.startNew();
        server = ParleyServer.start(TestConfig.load(TestConfig.settingsFor(postgres.newDatabase(), 4)));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        postgres.close();
    }

    @Test
    void readinessTurnsUnavailableWhileTheDatabaseIsStoppedAndBackAfter() {
        assertThat(Http.get(base + "/readyz").statusCode()).isEqualTo(200);

        postgres.stop();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            var response = Http.get(base + "/readyz");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).startsWith("not ready\n").contains("main primary (localhost:" + postgres.port());
        });
        assertThat(Http.get(base + "/healthz").statusCode()).as("the process itself is fine").isEqualTo(200);

        postgres.start();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Http.get(base + "/readyz").statusCode()).isEqualTo(200));
        assertThat(Http.get(base + "/").statusCode()).as("pages work again").isEqualTo(200);
    }
}
