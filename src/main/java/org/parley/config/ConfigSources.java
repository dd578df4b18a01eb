package org.parley.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where settings come from: an optional properties file (same PARLEY_* names), then the environment on top,
 * so one variable can override a shared file on a single host.
 */
public final class ConfigSources {
    private ConfigSources() {
    }

    public static Map<String, String> merge(Path propertiesFile, Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        if (propertiesFile != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                file.load(in);
            } catch (NoSuchFileException e) {
                throw new ConfigException("--config " + propertiesFile + ": no such file");
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("--config " + propertiesFile + ": cannot read it (" + e.getMessage() + ")");
            }
            for (String key : file.stringPropertyNames()) {
                if (!key.startsWith("PARLEY_")) {
                    throw new ConfigException("--config " + propertiesFile + ": '" + key
                            + "' is not a setting; settings are named PARLEY_* (see --help)");
                }
                values.put(key, file.getProperty(key));
            }
        }
        environment.forEach((key, value) -> {
            if (key.startsWith("PARLEY_")) {
                values.put(key, value);
            }
        });
        return values;
    }
}
