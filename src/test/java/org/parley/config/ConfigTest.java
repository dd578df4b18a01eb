package org.parley.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Config;
import org.parley.cache.CacheNode;
import org.parley.cache.MemcachedCache;
import org.parley.cache.RedisCache;
import org.parley.cache.RedisTarget;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {

    @Test
    void noSettingsAtAllIsTheEmbeddedDefault() {
        Config config = Config.load(Map.of());

        assertThat(config.embedded()).isTrue();
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.shardCount()).isEqualTo(8);
        assertThat(config.devMode()).isTrue();
        assertThat(config.dataDir()).isEqualTo(Path.of("./parley-data"));
        assertThat(config.publicUrl().toString()).isEqualTo("http://localhost:8080");
        assertThat(config.shardMap().toString()).isEqualTo("0-7:main");
    }

    @Test
    void anExternalDatabaseDefaultsTo64ShardsAndProductionMode() {
        Config config = Config.load(Map.of("PARLEY_DB_URL", "postgresql://db1:5433/parley"));

        assertThat(config.embedded()).isFalse();
        assertThat(config.shardCount()).isEqualTo(64);
        assertThat(config.devMode()).isFalse();
        assertThat(config.mainCluster().primary().jdbcUrl()).isEqualTo("jdbc:postgresql://db1:5433/parley");
    }

    @Test
    void aMistypedSettingIsNamedWithASuggestion() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_PROT", "9000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Unknown setting PARLEY_PROT; did you mean PARLEY_PORT?");
    }

    @Test
    void memcachedServersAreReadAndNoneMeansTheInProcessCache() {
        assertThat(Config.load(Map.of()).memcached()).isEmpty();
        assertThat(Config.load(Map.of()).memcachedTimeout()).isEqualTo(MemcachedCache.OP_TIMEOUT);
        assertThat(Config.load(Map.of("PARLEY_MEMCACHED", "cache1:11211,cache2:11211")).memcached())
                .containsExactly(new CacheNode("cache1", 11211), new CacheNode("cache2", 11211));
    }

    @Test
    void theEmbeddedDatabaseIsDurableUnlessFastIsAskedForAndOnlyThere() {
        assertThat(Config.load(Map.of()).embeddedDurability()).isEqualTo(org.parley.data.EmbeddedDatabase.Durability.DURABLE);
        assertThat(Config.load(Map.of("PARLEY_EMBEDDED_DURABILITY", "fast")).embeddedDurability())
                .isEqualTo(org.parley.data.EmbeddedDatabase.Durability.FAST);
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_EMBEDDED_DURABILITY", "quick")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PARLEY_EMBEDDED_DURABILITY must be one of [durable, fast], got 'quick'");
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_EMBEDDED_DURABILITY", "fast",
                "PARLEY_DB_URL", "postgresql://db1:5432/parley")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARLEY_EMBEDDED_DURABILITY applies to the embedded PostgreSQL only");
    }

    @Test
    void theDatabaseEngineIsAskedOfTheServerUnlessNamedAndCitusNeedsADatabaseUrl() {
        assertThat(Config.load(Map.of()).dbEngine()).isEqualTo(org.parley.data.DbEngine.AUTO);
        assertThat(Config.load(Map.of("PARLEY_DB_ENGINE", "citus", "PARLEY_DB_URL", "postgresql://coord:5432/parley"))
                .dbEngine()).isEqualTo(org.parley.data.DbEngine.CITUS);
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_DB_ENGINE", "cockroach")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PARLEY_DB_ENGINE must be one of [auto, postgres, citus], got 'cockroach'");
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_DB_ENGINE", "citus")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PARLEY_DB_ENGINE=citus needs PARLEY_DB_URL (the Citus coordinator); the embedded"
                        + " PostgreSQL has no Citus");
    }

    @Test
    void citusReadsAcrossShardsOneStatementPerShardUnlessToldAndRefusesStreamingReplicas() {
        assertThat(Config.load(Map.of()).citusReads()).isEqualTo(org.parley.data.CitusReads.SHARDS);
        assertThat(Config.load(Map.of("PARLEY_CITUS_CROSS_SHARD_READS", "coordinator")).citusReads())
                .isEqualTo(org.parley.data.CitusReads.COORDINATOR);
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_CITUS_CROSS_SHARD_READS", "workers")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PARLEY_CITUS_CROSS_SHARD_READS must be one of [coordinator, shards], got 'workers'");
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_DB_ENGINE", "citus",
                "PARLEY_DB_URL", "postgresql://coord:5432/parley",
                "PARLEY_DB_REPLICAS", "postgresql://coord-r1:5432/parley")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Streaming replicas (PARLEY_DB_REPLICAS, PARLEY_CLUSTER_<NAME>_REPLICAS) are not used with"
                        + " Citus (PARLEY_DB_ENGINE=citus): on Citus the comments live on the workers, so a replica of"
                        + " the coordinator says nothing about how current they are. Remove the replicas setting: in"
                        + " Citus mode every read goes through the coordinator to the workers' primaries, and more"
                        + " workers spread the reads (docs/scale-out.md, \"Replicas and read-your-writes on Citus\").");
    }

    @Test
    void cachingIsOnUnlessTurnedOffAndOffCannotBeCombinedWithMemcached() {
        assertThat(Config.load(Map.of()).cache()).isTrue();
        assertThat(Config.load(Map.of("PARLEY_CACHE", "off")).cache()).isFalse();
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_CACHE", "off", "PARLEY_MEMCACHED", "cache1:11211")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PARLEY_MEMCACHED is set but PARLEY_CACHE=off keeps nothing in it; remove one of them");
    }

    @Test
    void redisIsNamedByAUrlWithItsTimeoutAndMakesTheCacheShared() {
        Config none = Config.load(Map.of());
        assertThat(none.redis()).isEmpty();
        assertThat(none.redisTimeout()).isEqualTo(RedisCache.OP_TIMEOUT);
        assertThat(none.sharedCache()).isFalse();

        Config redis = Config.load(Map.of("PARLEY_REDIS_URL", "redis://:s3cret@cache1:6380/2",
                "PARLEY_REDIS_TIMEOUT_MS", "100"));
        assertThat(redis.redis().orElseThrow().kind()).isEqualTo(RedisTarget.Kind.SERVER);
        assertThat(redis.redisTimeout()).isEqualTo(java.time.Duration.ofMillis(100));
        assertThat(redis.sharedCache()).isTrue();
        assertThat(redis.describe()).contains("PARLEY_REDIS_URL=redis://****@cache1:6380/2").doesNotContain("s3cret");
    }

    @Test
    void memcachedAndRedisTogetherAreRefusedNamingBoth() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_MEMCACHED", "cache1:11211",
                "PARLEY_REDIS_URL", "redis://cache1:6379")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PARLEY_MEMCACHED and PARLEY_REDIS_URL are both set: Parley shares one cache, Memcached or"
                        + " Redis; remove one of them");
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_CACHE", "off", "PARLEY_REDIS_URL", "redis://cache1:6379")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PARLEY_REDIS_URL is set but PARLEY_CACHE=off keeps nothing in it; remove one of them");
    }

    @Test
    void aBadRedisUrlIsRefusedNamingTheSettingWithoutItsPassword() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_REDIS_URL", "cache1:6379")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PARLEY_REDIS_URL must be redis://[:password@]host[:port][/db], rediss://… (TLS),"
                        + " redis-sentinel://host:port[,host:port…][/db]#master or"
                        + " redis-cluster://host:port[,host:port…], got 'cache1:6379': not a redis URL");
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_REDIS_URL", "redis://:s3cret@cache1:99999")))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("got 'redis://****@cache1:99999': 'cache1:99999' is not host[:port] with a port"
                        + " 1-65535")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aBadMemcachedListIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_MEMCACHED", "cache1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PARLEY_MEMCACHED must be host:port[,host:port…] (for example cache1:11211,cache2:11211),"
                        + " got 'cache1'");
    }

    @Test
    void replicaLagLimitAndPollIntervalHaveDefaultsAndLimits() {
        assertThat(Config.load(Map.of()).replicaPolicy()).isEqualTo(org.parley.data.ReplicaPolicy.DEFAULT);
        assertThat(Config.load(Map.of("PARLEY_REPLICA_MAX_LAG_MS", "30000")).replicaPolicy().maxLag())
                .isEqualTo(java.time.Duration.ofSeconds(30));
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_REPLICA_POLL_MS", "50")))
                .hasMessage("PARLEY_REPLICA_POLL_MS must be a whole number between 100 and 60000, got '50'");
    }

    @Test
    void theOutboxRetriesFromFiveSecondsUnlessToldAndKeepsItsShape() {
        assertThat(Config.load(Map.of()).outboxBackoff()).isEqualTo(org.parley.outbox.Backoff.DEFAULT);
        var quick = Config.load(Map.of("PARLEY_OUTBOX_FIRST_RETRY_SECONDS", "1")).outboxBackoff();
        assertThat(quick.first()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(quick.cap()).isEqualTo(org.parley.outbox.Backoff.DEFAULT.cap());
        assertThat(quick.attempts()).isEqualTo(org.parley.outbox.Backoff.DEFAULT.attempts());
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_OUTBOX_FIRST_RETRY_SECONDS", "0")))
                .hasMessage("PARLEY_OUTBOX_FIRST_RETRY_SECONDS must be a whole number between 1 and 600, got '0'");
    }

    @Test
    void shardsMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_SHARDS", "12")))
                .hasMessage("PARLEY_SHARDS must be a power of two between 1 and 8192, got '12'");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var error = (ConfigException) catchConfig(Map.of("PARLEY_PORT", "99999", "PARLEY_LOG_FORMAT", "xml",
                "PARLEY_DB_URL", "mysql://x/y"));

        assertThat(error.problems()).containsExactlyInAnyOrder(
                "PARLEY_PORT must be a whole number between 0 and 65535, got '99999'",
                "PARLEY_LOG_FORMAT must be one of [text, json], got 'xml'",
                "PARLEY_DB_URL must look like postgresql://host:5432/database (or jdbc:postgresql://host:5432/database), got 'mysql://x/y'");
    }

    @Test
    void aDatabaseUrlWithoutADatabaseNameIsRefused() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_DB_URL", "postgresql://db1:5432")))
                .hasMessageStartingWith("PARLEY_DB_URL must look like postgresql://host:5432/database");
    }

    @Test
    void passwordsNeverAppearInTheDescription() {
        Config config = Config.load(Map.of(
                "PARLEY_DB_URL", "postgresql://app:hunter2@db1/parley",
                "PARLEY_DB_PASSWORD", "s3cret",
                "PARLEY_CLUSTER_DB2_URL", "jdbc:postgresql://db2/parley?password=topsecret",
                "PARLEY_CLUSTER_DB2_PASSWORD", "other",
                "PARLEY_SHARD_MAP", "0-31:main,32-63:db2"));

        String described = config.describe() + config + config.clusters();
        assertThat(described).doesNotContain("hunter2", "s3cret", "topsecret", "other")
                .contains("PARLEY_DB_PASSWORD=****", "PARLEY_DB_URL=postgresql://app:****@db1/parley");
        assertThat(config.mainCluster().passwordFor(config.mainCluster().primary())).isEqualTo("hunter2");
    }

    @Test
    void theShardMapSpreadsShardsOverNamedClusters() {
        Config config = Config.load(Map.of(
                "PARLEY_DB_URL", "postgresql://db1/parley",
                "PARLEY_CLUSTER_DB2_URL", "postgresql://db2/parley",
                "PARLEY_CLUSTER_DB2_POOL_SIZE", "5",
                "PARLEY_SHARDS", "64",
                "PARLEY_SHARD_MAP", "0-31:main,32-63:db2"));

        assertThat(config.clusters()).extracting(c -> c.name()).containsExactly("main", "db2");
        assertThat(config.clusters().get(1).poolSize()).isEqualTo(5);
        assertThat(config.shardMap().clusterOf(31)).isEqualTo("main");
        assertThat(config.shardMap().clusterOf(32)).isEqualTo("db2");
        assertThat(config.shardMap().shardsOn("db2")).hasSize(32);
    }

    @Test
    void aShardMapWithAGapOrAnUnknownClusterIsRefused() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_DB_URL", "postgresql://db1/parley",
                "PARLEY_SHARD_MAP", "0-30:main")))
                .hasMessage("PARLEY_SHARD_MAP: 33 logical shards have no cluster (first: 31); every shard 0-63 needs one");
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_DB_URL", "postgresql://db1/parley",
                "PARLEY_SHARD_MAP", "0-63:db9")))
                .hasMessageContaining("cluster 'db9' is not defined; define PARLEY_CLUSTER_DB9_URL");
    }

    @Test
    void theEnvironmentOverridesThePropertiesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("parley.properties");
        Files.writeString(file, "PARLEY_PORT=9000\nPARLEY_LOG_FORMAT=json\n");

        Config config = Config.load(ConfigSources.merge(file, Map.of("PARLEY_PORT", "9100", "HOME", "/root")));

        assertThat(config.port()).isEqualTo(9100);
        assertThat(config.logFormat()).isEqualTo(LogFormat.JSON);
    }

    @Test
    void aPropertiesFileMayOnlyHoldSettings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("parley.properties");
        Files.writeString(file, "port=9000\n");

        assertThatThrownBy(() -> ConfigSources.merge(file, Map.of()))
                .hasMessageContaining("'port' is not a setting; settings are named PARLEY_*");
        assertThatThrownBy(() -> ConfigSources.merge(dir.resolve("missing.properties"), Map.of()))
                .hasMessageEndingWith("missing.properties: no such file");
    }

    private static Exception catchConfig(Map<String, String> settings) {
        try {
            Config.load(settings);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }
}
