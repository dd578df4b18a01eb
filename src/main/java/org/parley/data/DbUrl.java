package org.parley.data;

import org.parley.config.ConfigException;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

/**
 * A PostgreSQL server address as operators write it: {@code postgresql://user:secret@host:5432/db} (libpq style)
 * or {@code jdbc:postgresql://host:5432/db?user=…}. Credentials in the URL win over PARLEY_DB_USER/PASSWORD.
 */
public record DbUrl(String jdbcUrl, String host, int port, String database,
                    Optional<String> user, Optional<String> password) {

    private static final int DEFAULT_PORT = 5432;

    public static DbUrl parse(String setting, String raw) {
        String text = raw.strip();
        String withoutJdbc = text.startsWith("jdbc:") ? text.substring("jdbc:".length()) : text;
        if (!withoutJdbc.startsWith("postgresql://") && !withoutJdbc.startsWith("postgres://")) {
            throw malformed(setting, raw);
        }
        URI uri;
        try {
            uri = URI.create(withoutJdbc.replaceFirst("^postgres(ql)?://", "postgresql://"));
        } catch (IllegalArgumentException e) {
            throw malformed(setting, raw);
        }
        String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || database.isEmpty() || database.contains("/")) {
            throw malformed(setting, raw);
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0]));
            password = parts.length == 2 ? Optional.of(decode(parts[1])) : Optional.empty();
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + database
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        Properties parsed = org.postgresql.Driver.parseURL(jdbc, null);
        if (parsed == null) {
            throw malformed(setting, raw);
        }
        return new DbUrl(jdbc, uri.getHost(), port, database, user, password);
    }

    /** host:port/database — what logs and error messages show (never a password). */
    public String display() {
        return host + ":" + port + "/" + database;
    }

    /** Never the password (the record's generated toString would print it). */
    @Override
    public String toString() {
        return "DbUrl[" + display() + "]";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static ConfigException malformed(String setting, String raw) {
        return new ConfigException(setting + " must look like postgresql://host:5432/database "
                + "(or jdbc:postgresql://host:5432/database), got '" + Masking.maskUrl(raw) + "'");
    }
}
