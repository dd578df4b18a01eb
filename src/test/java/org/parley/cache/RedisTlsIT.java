package org.parley.cache;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Config;
import org.parley.config.ConfigException;
import org.parley.testing.RedisProcess;
import org.parley.testing.TestCertificates;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * rediss:// against a real redis-server that speaks only TLS, with a certificate from a private authority: with
 * PARLEY_REDIS_CA_FILE naming that authority, Parley's cache works through it; trusting another authority (or only
 * the JVM's), the server is refused and every call reads as a miss, as when Redis is down.
 */
class RedisTlsIT {
    @TempDir
    static Path work;
    private static TestCertificates certificates;
    private static RedisProcess redis;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.in(work.resolve("tls"));
        redis = RedisProcess.startWithTls(certificates.serverCert(), certificates.serverKey(), certificates.ca());
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theCacheWorksOverTlsWithTheServersAuthorityTrusted() {
        try (RedisCache cache = connect(certificates.ca())) {
            await().atMost(Duration.ofSeconds(20)).until(cache::connected);
            cache.set("tls:greeting", "hello over TLS", Duration.ofMinutes(1));
            assertThat(cache.get("tls:greeting")).contains("hello over TLS");
            assertThat(cache.incr("tls:count", Duration.ofMinutes(1))).isEqualTo(1);
        }
    }

    @Test
    void aServerWhoseCertificateNoTrustedAuthoritySignedIsRefused() {
        try (RedisCache cache = connect(certificates.otherCa())) {
            cache.set("tls:secret", "must not arrive", Duration.ofMinutes(1));
            assertThat(cache.get("tls:secret")).isEmpty();
            assertThat(cache.connected()).isFalse();
        }
        try (RedisCache cache = RedisCache.connect(Config.load(Map.of("PARLEY_REDIS_URL", "rediss://" + redis.address()))
                .redis().orElseThrow(), Duration.ofMillis(500), CacheMetrics.unregistered())) {
            assertThat(cache.get("tls:greeting")).as("the JVM's authorities did not sign it either").isEmpty();
            assertThat(cache.connected()).isFalse();
        }
    }

    @Test
    void theAuthorityFileIsCheckedAtStart() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_REDIS_URL", "redis://" + redis.address(),
                "PARLEY_REDIS_CA_FILE", certificates.ca().toString())))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "PARLEY_REDIS_CA_FILE is set but PARLEY_REDIS_URL is not a rediss:// (TLS) URL; set both, or"
                                + " remove PARLEY_REDIS_CA_FILE"));
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_REDIS_URL", "rediss://" + redis.address(),
                "PARLEY_REDIS_CA_FILE", "/no/such/ca.pem")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "PARLEY_REDIS_CA_FILE must name a readable PEM file, got '/no/such/ca.pem'"));
    }

    private static RedisCache connect(Path ca) {
        Config config = Config.load(Map.of("PARLEY_REDIS_URL", "rediss://" + redis.address(),
                "PARLEY_REDIS_CA_FILE", ca.toString()));
        Optional<RedisTarget> target = config.redis();
        assertThat(target).hasValueSatisfying(t -> assertThat(t.trustedCa()).contains(ca));
        return RedisCache.connect(target.get(), Duration.ofMillis(500), CacheMetrics.unregistered());
    }
}
