package org.parley.testing;

import org.parley.Config;
import org.parley.data.DbUrl;

import java.util.HashMap;
import java.util.Map;

/** Builds a {@link Config} the way an operator would: from PARLEY_* settings, pointed at a test database. */
public final class TestConfig {
    private TestConfig() {
    }

    public static Map<String, String> settingsFor(DbUrl database, int shards) {
        Map<String, String> settings = new HashMap<>();
        settings.put("PARLEY_DB_URL", database.jdbcUrl());
        settings.put("PARLEY_DB_USER", TestPostgres.user());
        settings.put("PARLEY_SHARDS", Integer.toString(shards));
        settings.put("PARLEY_PORT", "0");
        settings.put("PARLEY_HOST", "127.0.0.1");
        settings.put("PARLEY_DEV_MODE", "true");
        settings.put("PARLEY_DB_CONNECT_TIMEOUT_MS", "1000");
        return settings;
    }

    public static Config load(Map<String, String> settings) {
        return Config.load(settings);
    }
}
