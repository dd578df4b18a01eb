package org.parley.web;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.Config;
import org.parley.config.StartupException;
import org.parley.data.Databases;
import org.parley.data.Migrations;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.db.main.Tables.SETTING;

/** Session keys kept in the main database: every instance that shares it signs alike, with nothing configured. */
class KeyRingIT {
    private static Databases databases;

    @BeforeAll
    static void migrate() {
        databases = freshDatabase();
    }

    @AfterAll
    static void close() {
        databases.close();
    }

    @Test
    void loadingFromTheDatabaseTwiceYieldsTheSameRing() {
        KeyRing first = KeyRing.load("", databases.main());
        KeyRing second = KeyRing.load("", databases.main());

        assertThat(second.keyIds()).hasSize(1).isEqualTo(first.keyIds());
        assertThat(second.verified(first.sign("payload"))).hasValue("payload");
        assertThat(databases.main().fetchCount(SETTING, SETTING.KEY.eq(KeyRing.SETTING_KEY))).isOne();
    }

    @Test
    void instancesStartingTogetherOnAFreshDatabaseAgreeOnOneKey() throws Exception {
        try (Databases fresh = freshDatabase(); var pool = Executors.newFixedThreadPool(4)) {
            List<Callable<KeyRing>> starts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                starts.add(() -> KeyRing.load("", fresh.main()));
            }
            List<String> signingKeys = new ArrayList<>();
            for (Future<KeyRing> ring : pool.invokeAll(starts)) {
                signingKeys.add(ring.get().signingKeyId());
            }

            assertThat(signingKeys).hasSize(8).containsOnly(signingKeys.getFirst());
        }
    }

    @Test
    void configuredKeysWinAndLeaveTheDatabaseAlone() {
        try (Databases fresh = freshDatabase()) {
            byte[] key = KeyRing.generateKey();

            KeyRing ring = KeyRing.load(Base64.getEncoder().encodeToString(key), fresh.main());

            assertThat(ring.keyIds()).isEqualTo(KeyRing.of(List.of(key)).keyIds());
            assertThat(fresh.main().fetchCount(SETTING)).isZero();
        }
    }

    @Test
    void anOperatorRotatesTheStoredKeysByPuttingANewOneInFront() {
        try (Databases fresh = freshDatabase()) {
            KeyRing before = KeyRing.load("", fresh.main());
            String stored = fresh.main().fetchValue(SETTING.VALUE, SETTING.KEY.eq(KeyRing.SETTING_KEY));
            String next = Base64.getEncoder().encodeToString(KeyRing.generateKey());
            fresh.main().update(SETTING).set(SETTING.VALUE, next + "," + stored)
                    .where(SETTING.KEY.eq(KeyRing.SETTING_KEY)).execute();

            KeyRing after = KeyRing.load("", fresh.main());

            assertThat(after.keyIds()).hasSize(2).endsWith(before.signingKeyId());
            assertThat(after.verified(before.sign("payload"))).hasValue("payload");
        }
    }

    @Test
    void malformedStoredKeysStopTheStartSayingWhereTheyAre() {
        try (Databases fresh = freshDatabase()) {
            fresh.main().insertInto(SETTING, SETTING.KEY, SETTING.VALUE).values(KeyRing.SETTING_KEY, "c2hvcnQ").execute();

            assertThatThrownBy(() -> KeyRing.load("", fresh.main()))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("The session keys in the main database (table main.setting, key 'session_keys') are"
                            + " malformed: session_keys has 5 bytes, at least 32 are needed; generate a key with:"
                            + " openssl rand -base64 32. Correct that row, or delete it to have a new key generated"
                            + " (which signs everyone out), or set PARLEY_SESSION_KEYS.");
        }
    }

    private static Databases freshDatabase() {
        Config config = TestConfig.load(TestConfig.settingsFor(TestPostgres.shared().newDatabase(), 1));
        Databases opened = Databases.open(config.clusters(), config.shardMap(), config.connectTimeout(),
                new MetricRegistry());
        Migrations.migrate(opened, shard -> { });
        return opened;
    }
}
