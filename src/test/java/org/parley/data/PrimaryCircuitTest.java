package org.parley.data;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A primary behind a network that drops packets: connecting neither fails nor succeeds, so HikariCP's wait ends
 * with no failed connect to report. That is an outage, not a busy pool: the circuit opens (and a post is spooled
 * rather than answered "busy"), and the probe keeps it open while connecting still hangs. The hanging server is
 * a socket on loopback that completes TCP handshakes and never answers, as a host behind a dead link would.
 * (The circuit closing when the server answers again is ReadinessIT's, against a stopped and restarted PostgreSQL.)
 */
class PrimaryCircuitTest {
    @Test
    void aConnectThatHangsOpensTheCircuitAndTheProbeKeepsItOpen() throws Exception {
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             HikariDataSource pool = pool(blackHole.getLocalPort());
             PrimaryCircuit circuit = new PrimaryCircuit("test primary", pool)) {

            assertThatThrownBy(circuit::getConnection)
                    .isInstanceOfSatisfying(DatabaseUnavailable.class, e -> {
                        assertThat(e.kind()).isEqualTo(DatabaseUnavailable.Kind.UNREACHABLE);
                        assertThat(DatabaseUnavailable.neverReachedTheServer(e)).isTrue();
                    })
                    .hasMessageContaining("no connection could be opened within 400 ms");
            assertThat(circuit.open()).isTrue();

            // two probes later (each waits out the pool's timeout): still unreachable, still open
            Thread.sleep(PrimaryCircuit.PROBE_INTERVAL.multipliedBy(3).toMillis());
            assertThat(circuit.open()).isTrue();
            assertThat(circuit.status()).hasValueSatisfying(s -> assertThat(s).contains("unreachable since"));
            assertThatThrownBy(circuit::getConnection).isInstanceOf(DatabaseUnavailable.class);
        }
    }

    private static HikariDataSource pool(int port) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("circuit-test-" + port);
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/parley");
        config.setUsername("parley");
        config.setPassword("parley");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(400);
        config.setValidationTimeout(250);
        config.setInitializationFailTimeout(-1);
        // the driver gives up on the hanging connect well after the pool's wait ends, as with a long connect timeout
        config.addDataSourceProperty("loginTimeout", "3");
        config.addDataSourceProperty("connectTimeout", "3");
        return new HikariDataSource(config);
    }
}
