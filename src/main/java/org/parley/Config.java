package org.parley;

import org.parley.cache.CacheNode;
import org.parley.cache.RedisTarget;
import org.parley.config.BucketSettings;
import org.parley.config.ConfigException;
import org.parley.config.LogFormat;
import org.parley.config.MailSettings;
import org.parley.config.Observability;
import org.parley.config.Setting;
import org.parley.config.Suggestions;
import org.parley.data.Citus;
import org.parley.data.CitusReads;
import org.parley.data.ClusterConfig;
import org.parley.data.DbEngine;
import org.parley.data.DbUrl;
import org.parley.data.EmbeddedDatabase;
import org.parley.data.ReplicaPolicy;
import org.parley.data.ShardMap;
import org.parley.outbox.Backoff;
import org.parley.web.KeyRing;
import org.parley.web.TrustedProxies;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything an instance is told, read once at start from {@code PARLEY_*} variables (and a properties file),
 * validated, then immutable. No settings at all = the embedded default.
 *
 * @param embedded  true when no PARLEY_DB_URL is set: Parley runs its own PostgreSQL under {@link #dataDir}
 * @param embeddedDurability whether the embedded PostgreSQL syncs each commit to disk (the default) or not
 * @param clusters  the main cluster first; in embedded mode its primary is a placeholder until Infrastructure
 *                  starts the embedded PostgreSQL and points the main cluster at it
 * @param sessionKeys PARLEY_SESSION_KEYS as given (already checked by {@link KeyRing#parse}); empty = the keys
 *                  kept in the main database, see {@link KeyRing#load}
 * @param memcached the Memcached servers (PARLEY_MEMCACHED); empty = the in-process cache
 * @param memcachedTimeout how long one Memcached call may take before it counts as a miss
 * @param redis     the Redis server, Sentinel set or Cluster (PARLEY_REDIS_URL); never together with memcached
 * @param redisTimeout how long one Redis call may take before it counts as a miss
 * @param cache     false (PARLEY_CACHE=off): nothing is cached, every page reads PostgreSQL
 * @param cdnBaseUrl where pages link static files (PARLEY_CDN_BASE_URL); empty = this instance's /assets/
 * @param bucket     where {@code push-static} uploads them (PARLEY_S3_*)
 * @param edge       the edge in front of thread pages that writes purge (PARLEY_EDGE_*); NONE = no edge
 * @param snapshotAfterDays days without writes after which a thread is published as a static snapshot; 0 = never
 * @param historicalAfterMonths whole months after which comment partitions are historical; 0 = never
 * @param historicalTablespace  where historical partitions are moved; empty = nowhere
 * @param trustedProxies whose X-Forwarded-For names the client (PARLEY_TRUSTED_PROXIES)
 * @param drainPeriod    on SIGTERM, how long /readyz fails while requests are still served (PARLEY_DRAIN_SECONDS)
 * @param replicaPolicy when a streaming replica may serve reads, and how often replicas are polled
 * @param observability /metrics access, error reporting and query sampling (docs/metrics.md)
 * @param dbEngine  PARLEY_DB_ENGINE: auto (ask the server), postgres, or citus (required; see {@link DbEngine})
 * @param citusReads PARLEY_CITUS_CROSS_SHARD_READS: how site-wide views read the shards of a Citus coordinator
 */
public record Config(
        int port,
        String host,
        URI publicUrl,
        Path dataDir,
        boolean embedded,
        EmbeddedDatabase.Durability embeddedDurability,
        List<ClusterConfig> clusters,
        ShardMap shardMap,
        Duration connectTimeout,
        boolean migrateOnStart,
        boolean devMode,
        LogFormat logFormat,
        String adminEmail,
        String sessionKeys,
        boolean rateLimits,
        List<CacheNode> memcached,
        Duration memcachedTimeout,
        Optional<RedisTarget> redis,
        Duration redisTimeout,
        boolean cache,
        Optional<URI> cdnBaseUrl,
        BucketSettings bucket,
        org.parley.edge.EdgeSettings edge,
        int snapshotAfterDays,
        int historicalAfterMonths,
        Optional<String> historicalTablespace,
        TrustedProxies trustedProxies,
        Duration drainPeriod,
        ReplicaPolicy replicaPolicy,
        Observability observability,
        MailSettings mail,
        Duration outboxPoll,
        Backoff outboxBackoff,
        Duration moderatorMailEvery,
        boolean webhooksToPrivate,
        int liveMaxConnections,
        org.parley.discussion.SpoolLimits spool,
        DbEngine dbEngine,
        CitusReads citusReads,
        Map<String, String> effective) {

    public static final int DEFAULT_SHARDS = 64;
    public static final int EMBEDDED_SHARDS = 8;
    public static final int MAX_SHARDS = 8192;
    /** Long enough for HAProxy's shipped checks (inter 1s, fastinter 250ms, fall 2) to take an instance out. */
    public static final int DEFAULT_DRAIN_SECONDS = 5;

    public Config {
        clusters = List.copyOf(clusters);
        memcached = List.copyOf(memcached);
        effective = Map.copyOf(effective);
    }

    public int shardCount() {
        return shardMap.shardCount();
    }

    /** Whether every instance shares one cache (Memcached or Redis), rather than each keeping its own. */
    public boolean sharedCache() {
        return !memcached.isEmpty() || redis.isPresent();
    }

    public ClusterConfig mainCluster() {
        return clusters.getFirst();
    }

    /** The masked description: a record's generated toString would print session keys and passwords. */
    @Override
    public String toString() {
        return "Config:" + describe();
    }

    /** Settings as they apply to this instance, secrets masked: for the start-up log. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(effective).forEach((k, v) -> out.append("\n  ").append(k).append('=').append(v));
        return out.toString();
    }

    /**
     * Reads and validates every setting. {@code values} holds the environment (and the properties file,
     * already merged under it); keys that do not start with PARLEY_ are ignored.
     *
     * @throws ConfigException listing every problem at once, each naming its variable
     */
    public static Config load(Map<String, String> values) {
        var reader = new Reader(values);
        reader.rejectUnknownKeys();

        int port = reader.intIn(Setting.PORT, 0, 65535);
        String host = reader.string(Setting.HOST);
        URI publicUrl = reader.url(Setting.PUBLIC_URL, "http://localhost:" + port);
        Path dataDir = Path.of(reader.string(Setting.DATA_DIR));
        boolean embedded = reader.raw(Setting.DB_URL).isBlank();
        var durability = reader.choice(Setting.EMBEDDED_DURABILITY, EmbeddedDatabase.Durability.class);
        if (!embedded && !reader.raw(Setting.EMBEDDED_DURABILITY).isBlank()) {
            reader.problem(Setting.EMBEDDED_DURABILITY.key() + " applies to the embedded PostgreSQL only; with "
                    + Setting.DB_URL.key() + " set, durability is your server's fsync and synchronous_commit");
        }
        int shards = reader.powerOfTwo(Setting.SHARDS, embedded ? EMBEDDED_SHARDS : DEFAULT_SHARDS);
        List<ClusterConfig> clusters = reader.clusters(embedded);
        Duration connectTimeout = Duration.ofMillis(reader.intIn(Setting.DB_CONNECT_TIMEOUT, 250, 60_000));
        boolean migrate = reader.bool(Setting.MIGRATE_ON_START, true);
        DbEngine dbEngine = reader.choice(Setting.DB_ENGINE, DbEngine.class);
        if (embedded && dbEngine == DbEngine.CITUS) {
            reader.problem(Setting.DB_ENGINE.key() + "=citus needs " + Setting.DB_URL.key() + " (the Citus"
                    + " coordinator); the embedded PostgreSQL has no Citus");
        }
        if (dbEngine == DbEngine.CITUS && clusters.stream().anyMatch(c -> !c.replicas().isEmpty())) {
            reader.problem(Citus.replicasRefused(Setting.DB_ENGINE.key() + "=citus"));
        }
        CitusReads citusReads = reader.choice(Setting.CITUS_CROSS_SHARD_READS, CitusReads.class);
        boolean devMode = reader.bool(Setting.DEV_MODE, embedded);
        LogFormat logFormat = reader.choice(Setting.LOG_FORMAT, LogFormat.class);
        String adminEmail = reader.string(Setting.ADMIN_EMAIL);
        if (!adminEmail.matches("[^@\\s]+@[^@\\s]+")) {
            reader.problem(Setting.ADMIN_EMAIL.key() + " must be an email address, got '" + adminEmail + "'");
        }
        String sessionKeys = reader.sessionKeys();
        boolean rateLimits = reader.bool(Setting.RATE_LIMITS, true);
        List<CacheNode> memcached = reader.cacheNodes(Setting.MEMCACHED);
        Duration memcachedTimeout = Duration.ofMillis(reader.intIn(Setting.MEMCACHED_TIMEOUT, 5, 5_000));
        Optional<RedisTarget> redis = reader.redis();
        Duration redisTimeout = Duration.ofMillis(reader.intIn(Setting.REDIS_TIMEOUT, 5, 5_000));
        if (!reader.raw(Setting.MEMCACHED).isBlank() && !reader.raw(Setting.REDIS_URL).isBlank()) {
            reader.problem(Setting.MEMCACHED.key() + " and " + Setting.REDIS_URL.key() + " are both set: Parley"
                    + " shares one cache, Memcached or Redis; remove one of them");
        }
        boolean cache = reader.bool(Setting.CACHE, true);
        for (Setting shared : List.of(Setting.MEMCACHED, Setting.REDIS_URL)) {
            if (!cache && !reader.raw(shared).isBlank()) {
                reader.problem(shared.key() + " is set but " + Setting.CACHE.key()
                        + "=off keeps nothing in it; remove one of them");
            }
        }
        Optional<URI> cdnBaseUrl = reader.optionalUrl(Setting.CDN_BASE_URL);
        BucketSettings bucket = reader.bucket();
        var edge = reader.edge(publicUrl);
        int snapshotAfterDays = reader.intIn(Setting.SNAPSHOT_AFTER_DAYS, 0, 3650);
        if (snapshotAfterDays > 0 && (!bucket.configured() || cdnBaseUrl.isEmpty())) {
            reader.problem(Setting.SNAPSHOT_AFTER_DAYS.key() + "=" + snapshotAfterDays + " needs "
                    + Setting.S3_BUCKET.key() + " (where snapshots are uploaded) and " + Setting.CDN_BASE_URL.key()
                    + " (where the embed loads them); set both, or set it to 0");
        }
        int historicalAfterMonths = reader.intIn(Setting.HISTORICAL_AFTER_MONTHS, 0, 1200);
        Optional<String> historicalTablespace = Optional.of(reader.string(Setting.HISTORICAL_TABLESPACE))
                .filter(name -> !name.isEmpty());
        if (historicalTablespace.isPresent() && !historicalTablespace.get().matches("[a-z_][a-z0-9_]{0,62}")) {
            reader.problem(Setting.HISTORICAL_TABLESPACE.key() + " must be a tablespace name (a-z, 0-9, _), got '"
                    + historicalTablespace.get() + "'");
        }
        TrustedProxies trustedProxies = reader.trustedProxies();
        // the embedded default is one instance with no balancer to wait for
        Duration drainPeriod = Duration.ofSeconds(reader.intIn(Setting.DRAIN_SECONDS.key(),
                reader.rawOr(Setting.DRAIN_SECONDS, embedded ? "0" : Integer.toString(DEFAULT_DRAIN_SECONDS)), 0, 300));
        var replicaPolicy = new ReplicaPolicy(Duration.ofMillis(reader.intIn(Setting.REPLICA_MAX_LAG, 0, 3_600_000)),
                Duration.ofMillis(reader.intIn(Setting.REPLICA_POLL, 100, 60_000)));
        Observability observability = reader.observability();
        MailSettings mail = reader.mail(publicUrl);
        Duration outboxPoll = Duration.ofMillis(reader.intIn(Setting.OUTBOX_POLL, 100, 60_000));
        var outboxBackoff = Backoff.DEFAULT.startingAt(
                Duration.ofSeconds(reader.intIn(Setting.OUTBOX_FIRST_RETRY, 1, 600)));
        Duration moderatorMailEvery = Duration.ofMinutes(reader.intIn(Setting.MODERATOR_MAIL, 0, 10_080));
        boolean webhooksToPrivate = reader.bool(Setting.WEBHOOKS_TO_PRIVATE, embedded);
        int liveMaxConnections = reader.intIn(Setting.LIVE_MAX_CONNECTIONS, 0, 100_000);
        var spool = new org.parley.discussion.SpoolLimits(reader.intIn(Setting.SPOOL_MAX_PER_SHARD, 0, 1_000_000),
                reader.intIn(Setting.SPOOL_MAX_PER_INSTANCE, 1, 1_000_000));
        ShardMap shardMap = null;
        if (shards > 0 && !clusters.isEmpty()) {
            shardMap = reader.shardMap(shards, clusters);
        }
        reader.throwIfProblems();
        return new Config(port, host, publicUrl, dataDir, embedded, durability, clusters, shardMap, connectTimeout,
                migrate, devMode, logFormat, adminEmail, sessionKeys, rateLimits, memcached, memcachedTimeout, redis, redisTimeout, cache, cdnBaseUrl, bucket, edge, snapshotAfterDays, historicalAfterMonths, historicalTablespace,
                trustedProxies, drainPeriod, replicaPolicy, observability, mail, outboxPoll, outboxBackoff,
                moderatorMailEvery, webhooksToPrivate, liveMaxConnections, spool, dbEngine, citusReads, reader.effective());
    }

    /** Collects problems instead of stopping at the first, so one start names every mistake. */
    private static final class Reader {
        private final Map<String, String> values;
        private final List<String> problems = new ArrayList<>();
        private final Map<String, String> effective = new LinkedHashMap<>();

        Reader(Map<String, String> values) {
            this.values = values;
        }

        void rejectUnknownKeys() {
            for (String key : new TreeSet<>(values.keySet())) {
                if (key.startsWith("PARLEY_") && Setting.byKey(key).isEmpty() && !Setting.isClusterKey(key)) {
                    problems.add("Unknown setting " + key + Suggestions.didYouMean(key) + " (see --help for the list)");
                }
            }
        }

        String raw(Setting setting) {
            return values.getOrDefault(setting.key(), "");
        }

        String string(Setting setting) {
            String value = values.getOrDefault(setting.key(), setting.defaultText()).strip();
            remember(setting.key(), value);
            return value;
        }

        int intIn(Setting setting, int min, int max) {
            return intIn(setting.key(), values.getOrDefault(setting.key(), setting.defaultText()), min, max);
        }

        int intIn(String key, String text, int min, int max) {
            remember(key, text.strip());
            try {
                int value = Integer.parseInt(text.strip());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below, with the allowed range
            }
            problem(key + " must be a whole number between " + min + " and " + max + ", got '" + text + "'");
            return min;
        }

        int powerOfTwo(Setting setting, int defaultValue) {
            String text = values.getOrDefault(setting.key(), Integer.toString(defaultValue)).strip();
            remember(setting.key(), text);
            try {
                int value = Integer.parseInt(text);
                if (value >= 1 && value <= MAX_SHARDS && Integer.bitCount(value) == 1) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(setting.key() + " must be a power of two between 1 and " + MAX_SHARDS + ", got '" + text + "'");
            return -1;
        }

        boolean bool(Setting setting, boolean defaultValue) {
            String text = values.getOrDefault(setting.key(), Boolean.toString(defaultValue)).strip().toLowerCase();
            remember(setting.key(), text);
            return switch (text) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> {
                    problem(setting.key() + " must be true or false, got '" + text + "'");
                    yield defaultValue;
                }
            };
        }

        <E extends Enum<E>> E choice(Setting setting, Class<E> type) {
            String text = string(setting);
            for (E option : type.getEnumConstants()) {
                if (option.name().equalsIgnoreCase(text)) {
                    return option;
                }
            }
            problem(setting.key() + " must be one of " + List.of(type.getEnumConstants()).toString().toLowerCase()
                    + ", got '" + text + "'");
            return type.getEnumConstants()[0];
        }

        URI url(Setting setting, String defaultValue) {
            String text = values.getOrDefault(setting.key(), defaultValue).strip();
            remember(setting.key(), text);
            try {
                URI uri = URI.create(text.replaceFirst("/+$", ""));
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            problem(setting.key() + " must be an http(s) URL like https://comments.example.com, got '" + text + "'");
            return URI.create(defaultValue);
        }

        /** An http(s) URL without query or fragment, or nothing when the setting is empty. */
        Optional<URI> optionalUrl(Setting setting) {
            String text = string(setting);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                URI uri = new URI(text);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                    return Optional.of(uri);
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            problem(setting.key() + " must be an http(s) URL without ?query or #fragment, like "
                    + "https://cdn.example.com/parley/, got '" + text + "'");
            return Optional.empty();
        }

        MailSettings mail(URI publicUrl) {
            String from = raw(Setting.MAIL_FROM).strip();
            if (from.isEmpty()) {
                from = "Parley <parley@" + (publicUrl.getHost() == null ? "localhost" : publicUrl.getHost()) + ">";
            }
            remember(Setting.MAIL_FROM.key(), from);
            try {
                new jakarta.mail.internet.InternetAddress(from, true);
            } catch (jakarta.mail.internet.AddressException e) {
                problem(Setting.MAIL_FROM.key() + " must be an address or Name <address>, got '" + from + "'");
            }
            String text = values.getOrDefault(Setting.SMTP_URL.key(), "").strip();
            remember(Setting.SMTP_URL.key(), text);
            if (text.isEmpty()) {
                return new MailSettings(Optional.empty(), from);
            }
            try {
                URI uri = new URI(text);
                boolean implicitTls = "smtps".equals(uri.getScheme());
                if (!implicitTls && !"smtp".equals(uri.getScheme()) || uri.getHost() == null
                        || uri.getRawQuery() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                        || uri.getRawPath().equals("/"))) {
                    throw new java.net.URISyntaxException(text, "not an SMTP server URL");
                }
                int port = uri.getPort() != -1 ? uri.getPort() : implicitTls ? 465 : 587;
                String user = "";
                String password = "";
                if (uri.getRawUserInfo() != null) {
                    String[] parts = uri.getRawUserInfo().split(":", 2);
                    user = java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8);
                    password = parts.length > 1
                            ? java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8) : "";
                }
                return new MailSettings(Optional.of(new MailSettings.SmtpServer(uri.getHost(), port, implicitTls,
                        user, password)), from);
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                problem(Setting.SMTP_URL.key() + " must look like smtp://user:password@host:587 or"
                        + " smtps://user:password@host:465 (user and password URL-encoded)");
                return new MailSettings(Optional.empty(), from);
            }
        }

        BucketSettings bucket() {
            String name = string(Setting.S3_BUCKET);
            if (!name.isEmpty() && !name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                problem(Setting.S3_BUCKET.key() + " must be a bucket name: 3-63 characters a-z, 0-9, '.' and '-', got '"
                        + name + "'");
            }
            String prefix = string(Setting.S3_PREFIX).replaceFirst("^/+", "");
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            Optional<URI> endpoint = optionalUrl(Setting.S3_ENDPOINT);
            String region = string(Setting.S3_REGION);
            if (!region.matches("[a-z0-9-]+")) {
                problem(Setting.S3_REGION.key() + " must be a region name like eu-west-1, got '" + region + "'");
            }
            String accessKey = string(Setting.S3_ACCESS_KEY);
            String secretKey = values.getOrDefault(Setting.S3_SECRET_KEY.key(), "");
            remember(Setting.S3_SECRET_KEY.key(), secretKey);
            if (accessKey.isEmpty() != secretKey.isEmpty()) {
                problem(Setting.S3_ACCESS_KEY.key() + " and " + Setting.S3_SECRET_KEY.key()
                        + " go together: set both, or neither to use the AWS default credentials");
            }
            return new BucketSettings(name, prefix, endpoint, region, accessKey, secretKey);
        }

        org.parley.edge.EdgeSettings edge(URI publicUrl) {
            var provider = choice(Setting.EDGE, org.parley.edge.EdgeSettings.Provider.class);
            var ttl = java.time.Duration.ofSeconds(intIn(Setting.EDGE_TTL, 60, 31_536_000));
            String service = string(Setting.EDGE_SERVICE);
            String token = values.getOrDefault(Setting.EDGE_TOKEN.key(), "").strip();
            remember(Setting.EDGE_TOKEN.key(), token);
            String accessKey = string(Setting.EDGE_AWS_ACCESS_KEY);
            String secretKey = values.getOrDefault(Setting.EDGE_AWS_SECRET_KEY.key(), "").strip();
            remember(Setting.EDGE_AWS_SECRET_KEY.key(), secretKey);
            String urlText = raw(Setting.EDGE_URL).strip();
            if (urlText.isEmpty()) {
                remember(Setting.EDGE_URL.key(), ""); // the default text describes the default; it is no URL
            }
            Optional<URI> url = urlText.isEmpty() ? Optional.empty() : optionalUrl(Setting.EDGE_URL);
            String edge = Setting.EDGE.key() + "=" + provider.wireName();
            switch (provider) {
                case NONE -> {
                    for (Setting s : List.of(Setting.EDGE_URL, Setting.EDGE_SERVICE, Setting.EDGE_TOKEN,
                            Setting.EDGE_AWS_ACCESS_KEY, Setting.EDGE_AWS_SECRET_KEY)) {
                        if (!raw(s).isBlank()) {
                            problem(s.key() + " is set but " + Setting.EDGE.key()
                                    + " is none: name the edge (varnish, fastly, cloudflare, cloudfront) or remove it");
                        }
                    }
                    return org.parley.edge.EdgeSettings.NONE;
                }
                case VARNISH -> {
                    if (urlText.isEmpty()) {
                        problem(edge + " needs " + Setting.EDGE_URL.key()
                                + ": the Varnish HTTP address purges are sent to, e.g. http://127.0.0.1:6081");
                    }
                }
                case FASTLY, CLOUDFLARE -> {
                    String id = provider == org.parley.edge.EdgeSettings.Provider.FASTLY ? "service id" : "zone id";
                    if (!service.matches("[A-Za-z0-9]{1,64}")) {
                        problem(edge + " needs " + Setting.EDGE_SERVICE.key() + ": the " + id
                                + " (letters and digits), got '" + service + "'");
                    }
                    if (token.isEmpty()) {
                        problem(edge + " needs " + Setting.EDGE_TOKEN.key() + ": an API token allowed to purge");
                    }
                }
                case CLOUDFRONT -> {
                    if (!service.matches("[A-Z0-9]{1,64}")) {
                        problem(edge + " needs " + Setting.EDGE_SERVICE.key()
                                + ": the distribution id (capital letters and digits, like E2QWRUHAPOMQZL), got '"
                                + service + "'");
                    }
                    if (accessKey.isEmpty() != secretKey.isEmpty()) {
                        problem(Setting.EDGE_AWS_ACCESS_KEY.key() + " and " + Setting.EDGE_AWS_SECRET_KEY.key()
                                + " go together: set both, or neither to use the AWS default credentials");
                    }
                }
            }
            URI resolved = url.or(provider::defaultUrl).orElse(URI.create("http://127.0.0.1"));
            boolean aws = provider == org.parley.edge.EdgeSettings.Provider.CLOUDFRONT;
            String publicPath = publicUrl.getRawPath() == null ? "" : publicUrl.getRawPath().replaceFirst("/+$", "");
            return new org.parley.edge.EdgeSettings(provider, ttl, resolved, service, aws ? accessKey : token,
                    aws ? secretKey : "", aws ? publicPath : "");
        }

        List<ClusterConfig> clusters(boolean embedded) {
            String user = string(Setting.DB_USER);
            String password = values.getOrDefault(Setting.DB_PASSWORD.key(), "");
            remember(Setting.DB_PASSWORD.key(), password);
            int poolSize = intIn(Setting.DB_POOL_SIZE, 1, 200);
            List<ClusterConfig> clusters = new ArrayList<>();
            DbUrl mainUrl = embedded ? null : dbUrl(Setting.DB_URL.key(), raw(Setting.DB_URL));
            List<DbUrl> mainReplicas = dbUrls(Setting.DB_REPLICAS.key());
            if (embedded && !mainReplicas.isEmpty()) {
                problem(Setting.DB_REPLICAS.key() + " needs PARLEY_DB_URL: the embedded PostgreSQL has no replicas");
            }
            clusters.add(new ClusterConfig(ClusterConfig.MAIN, mainUrl, mainReplicas, user, password, poolSize));

            for (String name : clusterNames()) {
                String prefix = Setting.CLUSTER_PREFIX + name.toUpperCase();
                String urlText = values.getOrDefault(prefix + "_URL", "");
                if (urlText.isBlank()) {
                    problem(prefix + "_URL is required once any " + prefix + "_* setting is given");
                    continue;
                }
                if (embedded) {
                    problem(prefix + "_URL needs PARLEY_DB_URL: the embedded default runs one database");
                    continue;
                }
                String clusterPassword = values.getOrDefault(prefix + "_PASSWORD", password);
                remember(prefix + "_PASSWORD", clusterPassword);
                clusters.add(new ClusterConfig(name,
                        dbUrl(prefix + "_URL", urlText),
                        dbUrls(prefix + "_REPLICAS"),
                        values.getOrDefault(prefix + "_USER", user),
                        clusterPassword,
                        intIn(prefix + "_POOL_SIZE", values.getOrDefault(prefix + "_POOL_SIZE", Integer.toString(poolSize)), 1, 200)));
            }
            return clusters;
        }

        private TreeSet<String> clusterNames() {
            TreeSet<String> names = new TreeSet<>();
            for (String key : values.keySet()) {
                if (!Setting.isClusterKey(key)) {
                    continue;
                }
                for (String suffix : Setting.CLUSTER_SUFFIXES) {
                    if (key.endsWith(suffix)) {
                        String name = key.substring(Setting.CLUSTER_PREFIX.length(), key.length() - suffix.length());
                        if (!name.matches("[A-Z0-9_]+")) {
                            problem(key + ": cluster names use A-Z, 0-9 and _ only");
                        } else if (name.equalsIgnoreCase(ClusterConfig.MAIN)) {
                            problem(key + ": the main cluster is configured by PARLEY_DB_URL and PARLEY_DB_REPLICAS");
                        } else {
                            names.add(name.toLowerCase());
                        }
                        break;
                    }
                }
            }
            return names;
        }

        private DbUrl dbUrl(String key, String text) {
            remember(key, org.parley.data.Masking.maskUrl(text.strip()));
            try {
                return DbUrl.parse(key, text);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
                return null;
            }
        }

        private List<DbUrl> dbUrls(String key) {
            String text = values.getOrDefault(key, "").strip();
            remember(key, org.parley.data.Masking.maskUrl(text));
            List<DbUrl> urls = new ArrayList<>();
            if (!text.isEmpty()) {
                for (String part : text.split(",")) {
                    DbUrl url = dbUrl(key, part);
                    if (url != null) {
                        urls.add(url);
                    }
                }
            }
            return urls;
        }

        ShardMap shardMap(int shards, List<ClusterConfig> clusters) {
            String text = values.getOrDefault(Setting.SHARD_MAP.key(), "").strip();
            if (text.isEmpty()) {
                ShardMap map = ShardMap.allOn(ClusterConfig.MAIN, shards);
                remember(Setting.SHARD_MAP.key(), map.toString());
                return map;
            }
            remember(Setting.SHARD_MAP.key(), text);
            var names = new TreeSet<String>();
            clusters.forEach(c -> names.add(c.name()));
            try {
                return ShardMap.parse(Setting.SHARD_MAP.key(), text, shards, names);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
                return null;
            }
        }

        List<CacheNode> cacheNodes(Setting setting) {
            try {
                return CacheNode.parseList(setting.key(), string(setting));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
                return List.of();
            }
        }

        /** PARLEY_REDIS_URL, remembered with its password masked. */
        Optional<RedisTarget> redis() {
            String text = raw(Setting.REDIS_URL).strip();
            remember(Setting.REDIS_URL.key(), RedisTarget.mask(text));
            Optional<RedisTarget> target;
            try {
                target = RedisTarget.parse(Setting.REDIS_URL.key(), text);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
                return Optional.empty();
            }
            String ca = string(Setting.REDIS_CA_FILE);
            if (ca.isEmpty()) {
                return target;
            }
            if (target.isEmpty() || !target.get().tls()) {
                problem(Setting.REDIS_CA_FILE.key() + " is set but " + Setting.REDIS_URL.key()
                        + " is not a rediss:// (TLS) URL; set both, or remove " + Setting.REDIS_CA_FILE.key());
                return target;
            }
            java.nio.file.Path file = java.nio.file.Path.of(ca);
            if (!java.nio.file.Files.isRegularFile(file) || !java.nio.file.Files.isReadable(file)) {
                problem(Setting.REDIS_CA_FILE.key() + " must name a readable PEM file, got '" + ca + "'");
                return target;
            }
            return target.map(t -> t.trusting(file));
        }

        String rawOr(Setting setting, String defaultValue) {
            return values.getOrDefault(setting.key(), defaultValue);
        }

        TrustedProxies trustedProxies() {
            String text = values.getOrDefault(Setting.TRUSTED_PROXIES.key(), TrustedProxies.DEFAULT).strip();
            remember(Setting.TRUSTED_PROXIES.key(), text);
            try {
                return TrustedProxies.parse(Setting.TRUSTED_PROXIES.key(), text);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
                return TrustedProxies.none();
            }
        }

        String sessionKeys() {
            String text = string(Setting.SESSION_KEYS);
            if (!text.isEmpty()) {
                try {
                    KeyRing.parse(Setting.SESSION_KEYS.key(), text);
                } catch (ConfigException e) {
                    problems.addAll(e.problems());
                }
            }
            return text;
        }

        Observability observability() {
            String token = string(Setting.METRICS_TOKEN);
            if (!token.isEmpty() && token.length() < Observability.MIN_TOKEN_LENGTH) {
                problem(Setting.METRICS_TOKEN.key() + " must be at least " + Observability.MIN_TOKEN_LENGTH
                        + " characters (it guards /metrics like a password)");
            }
            String dsn = string(Setting.SENTRY_DSN);
            if (!dsn.isEmpty() && !Observability.looksLikeDsn(dsn)) {
                problem(Setting.SENTRY_DSN.key() + " must be a Sentry DSN like https://PUBLIC_KEY@sentry.example.com/PROJECT_ID");
            }
            String rateText = string(Setting.INSPECTOR_SAMPLE_RATE);
            double rate = 0;
            try {
                rate = Double.parseDouble(rateText);
            } catch (NumberFormatException e) {
                rate = -1;
            }
            if (!(rate >= 0 && rate <= 1)) {
                problem(Setting.INSPECTOR_SAMPLE_RATE.key() + " must be a number from 0 to 1 (0.01 keeps one request in a "
                        + "hundred), got '" + rateText + "'");
                rate = 0;
            }
            return new Observability(token, dsn, rate);
        }

        void problem(String message) {
            problems.add(message);
        }

        void remember(String key, String value) {
            effective.put(key, Setting.isSecret(key) && !value.isEmpty() ? "****" : value);
        }

        Map<String, String> effective() {
            return effective;
        }

        void throwIfProblems() {
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
        }
    }
}
