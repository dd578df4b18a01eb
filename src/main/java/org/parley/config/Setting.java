package org.parley.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every setting Parley reads, with its default and the sentence {@code --help} prints. The name is the
 * environment variable; a properties file given by {@code --config} uses the same names.
 */
public enum Setting {
    PORT("PARLEY_PORT", "8080", "HTTP port to listen on (1-65535, 0 = any free port)."),
    HOST("PARLEY_HOST", "0.0.0.0", "Address to bind; 127.0.0.1 keeps Parley private to this machine."),
    PUBLIC_URL("PARLEY_PUBLIC_URL", "http://localhost:{port}", "The URL visitors use to reach Parley (links, embed)."),
    DATA_DIR("PARLEY_DATA_DIR", "./parley-data", "Where the embedded PostgreSQL keeps its data (embedded mode only)."),
    DB_URL("PARLEY_DB_URL", "", "PostgreSQL of the main cluster, e.g. postgresql://db1:5432/parley. Empty = embedded PostgreSQL."),
    DB_USER("PARLEY_DB_USER", "parley", "PostgreSQL user for every cluster that does not set its own."),
    DB_PASSWORD("PARLEY_DB_PASSWORD", "", "PostgreSQL password for every cluster that does not set its own.", true),
    DB_REPLICAS("PARLEY_DB_REPLICAS", "", "Comma-separated streaming replicas of the main cluster (URLs like PARLEY_DB_URL)."),
    DB_POOL_SIZE("PARLEY_DB_POOL_SIZE", "10", "Connections per PostgreSQL server from this instance (1-200)."),
    DB_CONNECT_TIMEOUT("PARLEY_DB_CONNECT_TIMEOUT_MS", "3000", "How long a request waits for a database connection (250-60000 ms)."),
    SHARDS("PARLEY_SHARDS", "64 (8 with the embedded PostgreSQL)",
            "Logical shards: a power of two 1-8192, fixed when the cluster is created."),
    SHARD_MAP("PARLEY_SHARD_MAP", "all shards on the main cluster",
            "Which cluster holds which logical shards, e.g. 0-31:main,32-63:db2. Cluster NAME is defined by "
                    + "PARLEY_CLUSTER_NAME_URL (+ _REPLICAS, _USER, _PASSWORD, _POOL_SIZE)."),
    MIGRATE_ON_START("PARLEY_MIGRATE_ON_START", "true", "Apply pending migrations when serving (false: run 'parley migrate')."),
    DEV_MODE("PARLEY_DEV_MODE", "true with the embedded PostgreSQL, else false",
            "Show SQL count and time per request in the Server-Timing header."),
    LOG_FORMAT("PARLEY_LOG_FORMAT", "text", "Log format: text or json."),
    RATE_LIMITS("PARLEY_RATE_LIMITS", "true",
            "Refuse visitors who post, vote or sign in too fast (429); false only where something in front already does."),
    MEMCACHED("PARLEY_MEMCACHED", "",
            "Memcached servers shared by every instance, host:port[,host:port…] (consistent hashing). Empty = a cache"
                    + " in this process's memory."),
    MEMCACHED_TIMEOUT("PARLEY_MEMCACHED_TIMEOUT_MS", "50",
            "How long one Memcached call may take before Parley treats it as a miss and reads the database (5-5000 ms)."),
    CACHE("PARLEY_CACHE", "on",
            "on: keep comment lists, sites and accounts in the cache (Memcached or this process's memory); off: keep"
                    + " nothing, so every page reads PostgreSQL (to measure what the cache saves, see bench/README.md)."),
    ADMIN_EMAIL("PARLEY_ADMIN_EMAIL", "admin@localhost", "Email of the administrator created on first start."),
    SESSION_KEYS("PARLEY_SESSION_KEYS", "",
            "Comma-separated base64 keys (32+ random bytes each) that sign session cookies; the first signs, all "
                    + "verify. Empty = a key generated once and kept in the main database.", true);

    /** Per-cluster settings: PARLEY_CLUSTER_{NAME}_{SUFFIX}. */
    public static final String CLUSTER_PREFIX = "PARLEY_CLUSTER_";
    public static final String[] CLUSTER_SUFFIXES = {"_URL", "_REPLICAS", "_USER", "_PASSWORD", "_POOL_SIZE"};

    private final String key;
    private final String defaultText;
    private final String description;
    private final boolean secret;

    Setting(String key, String defaultText, String description) {
        this(key, defaultText, description, false);
    }

    Setting(String key, String defaultText, String description, boolean secret) {
        this.key = key;
        this.defaultText = defaultText;
        this.description = description;
        this.secret = secret;
    }

    public String key() {
        return key;
    }

    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    /** True for settings whose value must never be printed, including per-cluster passwords. */
    public static boolean isSecret(String key) {
        return byKey(key).map(s -> s.secret).orElse(key.endsWith("_PASSWORD"));
    }

    /** True when {@code key} names a per-cluster setting such as PARLEY_CLUSTER_DB2_URL. */
    public static boolean isClusterKey(String key) {
        if (!key.startsWith(CLUSTER_PREFIX)) {
            return false;
        }
        return Arrays.stream(CLUSTER_SUFFIXES)
                .anyMatch(suffix -> key.endsWith(suffix) && key.length() > CLUSTER_PREFIX.length() + suffix.length());
    }
}
