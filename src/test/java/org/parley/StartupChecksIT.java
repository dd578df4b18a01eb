package org.parley;

import org.junit.jupiter.api.Test;
import org.parley.config.StartupException;
import org.parley.testing.FreePort;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up problems that are found before, or instead of, a long wait and a raw error. */
class StartupChecksIT {

    @Test
    void aPortInUseIsReportedBeforeAnyDatabaseWork() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(TestPostgres.shared().newDatabase(), 4));
            // a database nobody answers for: had Parley gone to it first, this is what it would report
            settings.put("PARLEY_DB_URL", "postgresql://127.0.0.1:" + FreePort.find() + "/parley");
            settings.put("PARLEY_PORT", Integer.toString(taken.getLocalPort()));

            assertThatThrownBy(() -> ParleyServer.start(TestConfig.load(settings)))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use (or not allowed);"
                            + " stop the program using it or set PARLEY_PORT to a free port.");
        }
    }

    @Test
    void withMigrationsOffAnEmptyDatabaseIsRefusedSayingWhatToRun() {
        Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(TestPostgres.shared().newDatabase(), 4));
        settings.put("PARLEY_MIGRATE_ON_START", "false");

        assertThatThrownBy(() -> ParleyServer.start(TestConfig.load(settings)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("has no Parley schema yet, and PARLEY_MIGRATE_ON_START=false: run `parley migrate` first");
    }
}
