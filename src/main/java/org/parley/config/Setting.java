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
    EMBEDDED_DURABILITY("PARLEY_EMBEDDED_DURABILITY", "durable",
            "Embedded PostgreSQL only: durable (fsync, synchronous commits: an acknowledged comment survives a power"
                    + " failure) or fast (both off: quicker writes, but a crash of the machine can lose the last comments"
                    + " or corrupt the data; for demos and development only)."),
    DB_URL("PARLEY_DB_URL", "", "PostgreSQL of the main cluster, e.g. postgresql://db1:5432/parley. Empty = embedded PostgreSQL."),
    DB_ENGINE("PARLEY_DB_ENGINE", "auto",
            "auto: Citus when the database has the citus extension (shards become distributed schemas on its"
                    + " workers), plain PostgreSQL otherwise; citus: the same, but refuse to start without the"
                    + " extension; postgres: plain PostgreSQL even on a Citus server (docs/scale-out.md, \"Citus (in progress)\")."),
    CITUS_CROSS_SHARD_READS("PARLEY_CITUS_CROSS_SHARD_READS", "shards",
            "On Citus, how site-wide views (moderation queue, statistics, an author's history) read every shard:"
                    + " shards = one statement per shard schema, in parallel, merged by Parley; coordinator = one"
                    + " UNION ALL statement, which Citus runs one schema after another (docs/scale-out.md,"
                    + " \"Cross-shard reads on Citus\")."),
    DB_USER("PARLEY_DB_USER", "parley", "PostgreSQL user for every cluster that does not set its own."),
    DB_PASSWORD("PARLEY_DB_PASSWORD", "", "PostgreSQL password for every cluster that does not set its own.", true),
    DB_REPLICAS("PARLEY_DB_REPLICAS", "", "Comma-separated streaming replicas of the main cluster (URLs like PARLEY_DB_URL)."),
    DB_POOL_SIZE("PARLEY_DB_POOL_SIZE", "10", "Connections per PostgreSQL server from this instance (1-200)."),
    DB_CONNECT_TIMEOUT("PARLEY_DB_CONNECT_TIMEOUT_MS", "3000", "How long a request waits for a database connection (250-60000 ms)."),
    REPLICA_MAX_LAG("PARLEY_REPLICA_MAX_LAG_MS", "10000",
            "A streaming replica further behind its primary than this serves no reads until it catches up (0-3600000 ms)."),
    REPLICA_POLL("PARLEY_REPLICA_POLL_MS", "1000", "How often each replica's replay position and lag are read (100-60000 ms)."),
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
    MEMCACHED_TIMEOUT("PARLEY_MEMCACHED_TIMEOUT_MS", "250",
            "How long one Memcached call may take before Parley treats it as a miss and reads the database; three"
                    + " in a row mean Memcached is down, and it is asked only once a second until it answers (5-5000 ms)."),
    REDIS_URL("PARLEY_REDIS_URL", "",
            "Redis shared by every instance instead of Memcached (not both): redis://[:password@]host:port[/db],"
                    + " rediss://… (TLS), redis-sentinel://host:port[,host:port…][/db]#master, or"
                    + " redis-cluster://host:port[,host:port…] for a Redis Cluster (docs/caching.md, \"Redis\")."),
    REDIS_CA_FILE("PARLEY_REDIS_CA_FILE", "",
            "For rediss://: a PEM file of the certificate authority that signed the Redis servers' certificates (a"
                    + " private CA). Empty = the JVM's trusted authorities."),
    REDIS_TIMEOUT("PARLEY_REDIS_TIMEOUT_MS", "250",
            "How long one Redis call may take before Parley treats it as a miss and reads the database; three in a"
                    + " row mean Redis is down, and it is asked only once a second until it answers (5-5000 ms)."),
    CACHE("PARLEY_CACHE", "on",
            "on: keep comment lists, sites and accounts in the cache (Memcached, Redis or this process's memory); off: keep"
                    + " nothing, so every page reads PostgreSQL (to measure what the cache saves, see bench/README.md)."),
    CDN_BASE_URL("PARLEY_CDN_BASE_URL", "",
            "Where pages link CSS and scripts, e.g. https://cdn.example.com/parley/ (filled by 'parley push-static')."
                    + " Empty = this instance serves them at /assets/."),
    S3_BUCKET("PARLEY_S3_BUCKET", "", "push-static: the bucket that the CDN serves."),
    S3_PREFIX("PARLEY_S3_PREFIX", "", "push-static: key prefix inside the bucket, e.g. parley/ (empty = the bucket's root)."),
    S3_ENDPOINT("PARLEY_S3_ENDPOINT", "",
            "push-static: an S3-compatible endpoint URL (MinIO, Ceph, R2…); empty = Amazon S3 of PARLEY_S3_REGION."),
    S3_REGION("PARLEY_S3_REGION", "us-east-1", "push-static: the bucket's region."),
    S3_ACCESS_KEY("PARLEY_S3_ACCESS_KEY", "",
            "push-static: access key id; empty = the AWS default chain (AWS_* variables, profile, instance role)."),
    S3_SECRET_KEY("PARLEY_S3_SECRET_KEY", "", "push-static: secret access key for PARLEY_S3_ACCESS_KEY.", true),
    SNAPSHOT_AFTER_DAYS("PARLEY_SNAPSHOT_AFTER_DAYS", "0",
            "Publish a thread without writes for this many days as a static snapshot in PARLEY_S3_BUCKET, which"
                    + " the embed then loads from PARLEY_CDN_BASE_URL without asking Parley (1-3650; 0 = never;"
                    + " docs/cdn.md, \"Cold threads as static snapshots\")."),
    EDGE("PARLEY_EDGE", "none",
            "The cache in front of thread pages that Parley purges on every change: none, varnish (running"
                    + " varnish/parley.vcl), fastly, cloudflare or cloudfront. Set, guests' thread pages carry surrogate"
                    + " keys and the edge keeps them for PARLEY_EDGE_TTL_SECONDS (docs/cdn.md, \"Edge caching with purge\")."),
    EDGE_URL("PARLEY_EDGE_URL", "varnish: required; fastly, cloudflare, cloudfront: the provider's API",
            "varnish: the Varnish HTTP address that purges (BAN) are sent to, e.g. http://127.0.0.1:6081; a CDN:"
                    + " its API's base URL (only to point it at a test receiver or a proxy)."),
    EDGE_TTL("PARLEY_EDGE_TTL_SECONDS", "86400",
            "How long the edge may keep a guest's thread page (60-31536000 s); changes purge it sooner."),
    EDGE_SERVICE("PARLEY_EDGE_SERVICE", "",
            "fastly: the service id; cloudflare: the zone id; cloudfront: the distribution id."),
    EDGE_TOKEN("PARLEY_EDGE_TOKEN", "",
            "fastly: an API token allowed to purge (sent as Fastly-Key); cloudflare: an API token with the zone's"
                    + " Cache Purge permission (sent as Bearer).", true),
    EDGE_AWS_ACCESS_KEY("PARLEY_EDGE_AWS_ACCESS_KEY", "",
            "cloudfront: access key id allowed cloudfront:CreateInvalidation; empty = the AWS default chain."),
    EDGE_AWS_SECRET_KEY("PARLEY_EDGE_AWS_SECRET_KEY", "",
            "cloudfront: secret access key for PARLEY_EDGE_AWS_ACCESS_KEY.", true),
    HISTORICAL_AFTER_MONTHS("PARLEY_HISTORICAL_AFTER_MONTHS", "12",
            "Comments older than this many whole months are historical: readable, but no longer voted on, edited or"
                    + " replied to (0-1200; 0 = never)."),
    HISTORICAL_TABLESPACE("PARLEY_HISTORICAL_TABLESPACE", "",
            "PostgreSQL tablespace that historical comment partitions are moved to (it must exist on every shard"
                    + " server). Empty = they stay where they are."),
    ADMIN_EMAIL("PARLEY_ADMIN_EMAIL", "admin@localhost", "Email of the administrator created on first start."),
    SESSION_KEYS("PARLEY_SESSION_KEYS", "",
            "Comma-separated base64 keys (32+ random bytes each) that sign session cookies; the first signs, all "
                    + "verify. Empty = a key generated once and kept in the main database.", true),
    // loopback only: a proxy on the same machine works without configuration; no other machine can forge
    TRUSTED_PROXIES("PARLEY_TRUSTED_PROXIES", "127.0.0.0/8,::1/128",
            "Addresses (CIDR, comma-separated) of proxies whose X-Forwarded-For Parley believes, e.g. the HAProxy and "
                    + "nginx hosts. Empty = trust no proxy: the client is the TCP peer."),
    DRAIN_SECONDS("PARLEY_DRAIN_SECONDS", "5 (0 with the embedded PostgreSQL)",
            "On SIGTERM, how long /readyz answers 503 while requests are still served, so the balancer stops "
                    + "sending traffic first (0-300 s)."),

    SMTP_URL("PARLEY_SMTP_URL", "",
            "The SMTP server mail goes through: smtp://user:password@host:587 (STARTTLS, required unless the server is"
                    + " on this machine) or smtps://user:password@host:465 (TLS); user and password URL-encoded. Empty ="
                    + " mails are kept for the console's outgoing-mail page (/admin/mail) instead of sent.", true),
    MAIL_FROM("PARLEY_MAIL_FROM", "Parley <parley@{public host}>",
            "The From of every mail, an address or Name <address>."),
    MODERATOR_MAIL("PARLEY_MODERATOR_MAIL_MINUTES", "60",
            "At most one \"comments are waiting\" mail per moderator in this many minutes, about comments held or"
                    + " flagged on their sites since the last (1-10080; 0 = never)."),
    OUTBOX_POLL("PARLEY_OUTBOX_POLL_MS", "1000",
            "How often each instance looks for mails (and webhooks) to deliver (100-60000 ms); each look is one"
                    + " statement per database cluster."),
    OUTBOX_FIRST_RETRY("PARLEY_OUTBOX_FIRST_RETRY_SECONDS", "5",
            "How long a failed mail, webhook or purge waits before its second try (1-600 s); each further wait doubles,"
                    + " up to 15 min, for 12 tries in all (docs/mail.md, \"Retries\")."),
    LIVE_MAX_CONNECTIONS("PARLEY_LIVE_MAX_CONNECTIONS", "5000",
            "Live-update streams (Server-Sent Events) one instance keeps open at most (0-100000); readers beyond "
                    + "it, or all with 0, check for new comments every 30 s instead."),
    SPOOL_MAX_PER_SHARD("PARLEY_SPOOL_MAX_PER_SHARD", "10000",
            "Comments kept in the spool for one logical shard while its primary cannot be reached (0-1000000; 0 ="
                    + " no spool: posts answer 503 as other writes do). Beyond it, 503 with Retry-After (docs/spool.md)."),
    SPOOL_MAX_PER_INSTANCE("PARLEY_SPOOL_MAX_PER_INSTANCE", "5000",
            "Comments one instance may keep waiting in the spool at once, over all shards (1-1000000)."),
    WEBHOOKS_TO_PRIVATE("PARLEY_WEBHOOKS_TO_PRIVATE_ADDRESSES", "true with the embedded PostgreSQL, else false",
            "Whether webhooks may be delivered to loopback and private-network addresses (127.0.0.1, 10.x, "
                    + "192.168.x, fc00::/7, …). Off, a site owner cannot make Parley call services inside your network."),

    METRICS_TOKEN("PARLEY_METRICS_TOKEN", "",
            "Bearer token a Prometheus elsewhere presents to read /metrics. Empty = /metrics is served to this "
                    + "machine only (loopback, not forwarded by a proxy).", true),
    SENTRY_DSN("PARLEY_SENTRY_DSN", "",
            "Sentry DSN to report unexpected errors to, with the request id. Empty = no reporting (errors are "
                    + "listed for administrators at /admin/errors either way).", true),
    INSPECTOR_SAMPLE_RATE("PARLEY_INSPECTOR_SAMPLE_RATE", "0.01",
            "Share of requests whose SQL the query inspector (/admin/queries) keeps, 0-1; an administrator's "
                    + "request with ?inspect=1 is always kept.");

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
