package org.parley.data;

import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.testing.PgCluster;
import org.parley.testing.TestConfig;

import java.sql.Connection;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transaction through Parley's contexts sends its own statements between BEGIN and COMMIT, and no
 * {@code SHOW TRANSACTION ISOLATION LEVEL} before them (which plain jOOQ 3.21 sends for every transaction). The
 * server logs every statement it receives, so the test reads what reached PostgreSQL, not what the client meant.
 */
class KnownIsolationIT {
    private static final String ASKED = "SHOW TRANSACTION ISOLATION LEVEL";
    private static PgCluster cluster;
    private static String database;
    private static Databases databases;

    @BeforeAll
    static void start() {
        cluster = PgCluster.start(Map.of("log_statement", "all"));
        database = cluster.createDatabase();
        databases = MigrationsIT.open(TestConfig.load(TestConfig.settingsFor(cluster.url(database), 2)));
        // HikariCP asks a pool's first connection its isolation level once, to know the driver's default; CI once
        // counted that one in the test. Each context used below opens its pool here, before anything is counted.
        databases.main().selectOne().fetch();
        databases.write(1).selectOne().fetch();
    }

    @AfterAll
    static void stop() {
        if (databases != null) {
            databases.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTransactionAndItsSavepointRunWithoutAskingTheIsolationLevel() {
        long askedBefore = asked();
        String marker = "known-isolation-" + UUID.randomUUID();

        String read = databases.write(1).transactionResult(tx -> {
            tx.dsl().transaction(savepoint -> savepoint.dsl().selectOne().fetch());
            return tx.dsl().select(DSL.inline(marker)).fetchOne(0, String.class);
        });
        databases.main().transaction(tx -> tx.dsl().select(DSL.inline(marker + "-main")).fetch());

        assertThat(read).isEqualTo(marker);
        String log = cluster.primary().log();
        assertThat(log).as("the statements reached the server, and were logged").contains(marker + "-main")
                .contains("SAVEPOINT");
        assertThat(asked()).as("isolation queries the server received").isEqualTo(askedBefore);
    }

    @Test
    void plainJooqAsksTheServerForEachTransaction() throws Exception {
        long askedBefore = asked();
        try (Connection connection = cluster.primary().connect(database)) {
            var plain = DSL.using(connection, SQLDialect.POSTGRES);
            plain.transaction(tx -> tx.dsl().selectOne().fetch());
            plain.transaction(tx -> tx.dsl().selectOne().fetch());
        }
        // the control: this is what KnownIsolation spares every post, so the first test can see it missing
        assertThat(asked() - askedBefore).isEqualTo(2);
    }

    private static long asked() {
        return cluster.primary().log().lines().filter(line -> line.contains(ASKED)).count();
    }
}
