package org.parley.config;

import org.junit.jupiter.api.Test;
import org.parley.Config;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CdnSettingsTest {

    @Test
    void withoutSettingsPagesLinkLocallyAndNoBucketIsConfigured() {
        Config config = Config.load(Map.of());

        assertThat(config.cdnBaseUrl()).isEmpty();
        assertThat(config.bucket().configured()).isFalse();
        assertThat(config.bucket().region()).isEqualTo("us-east-1");
    }

    @Test
    void theBucketSettingsAreReadAndThePrefixEndsInASlash() {
        Config config = Config.load(Map.of(
                "PARLEY_CDN_BASE_URL", "https://cdn.example.com/parley/",
                "PARLEY_S3_BUCKET", "static-files",
                "PARLEY_S3_PREFIX", "/parley",
                "PARLEY_S3_ENDPOINT", "http://127.0.0.1:9000",
                "PARLEY_S3_ACCESS_KEY", "key",
                "PARLEY_S3_SECRET_KEY", "very-secret"));

        assertThat(config.cdnBaseUrl()).contains(URI.create("https://cdn.example.com/parley/"));
        assertThat(config.bucket().name()).isEqualTo("static-files");
        assertThat(config.bucket().prefix()).isEqualTo("parley/");
        assertThat(config.bucket().endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(config.describe()).contains("PARLEY_S3_SECRET_KEY=****").doesNotContain("very-secret");
        assertThat(config.bucket().toString()).doesNotContain("very-secret");
    }

    @Test
    void badValuesAreAllNamedAtOnce() {
        assertThatThrownBy(() -> Config.load(Map.of(
                "PARLEY_CDN_BASE_URL", "cdn.example.com/parley",
                "PARLEY_S3_BUCKET", "Bad_Bucket",
                "PARLEY_S3_ENDPOINT", "ftp://files",
                "PARLEY_S3_ACCESS_KEY", "key-without-secret")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "PARLEY_CDN_BASE_URL must be an http(s) URL without ?query or #fragment, like "
                                + "https://cdn.example.com/parley/, got 'cdn.example.com/parley'",
                        "PARLEY_S3_BUCKET must be a bucket name: 3-63 characters a-z, 0-9, '.' and '-', got 'Bad_Bucket'",
                        "PARLEY_S3_ENDPOINT must be an http(s) URL without ?query or #fragment, like "
                                + "https://cdn.example.com/parley/, got 'ftp://files'",
                        "PARLEY_S3_ACCESS_KEY and PARLEY_S3_SECRET_KEY go together: set both, or neither to use the "
                                + "AWS default credentials"));
    }

    @Test
    void aCdnUrlWithAQueryIsRefused() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_CDN_BASE_URL", "https://cdn.example.com/?v=1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARLEY_CDN_BASE_URL must be an http(s) URL without ?query");
    }

    @Test
    void snapshotsAreOffByDefaultAndNeedTheBucketAndTheCdn() {
        assertThat(Config.load(Map.of()).snapshotAfterDays()).isZero();
        assertThat(Config.load(Map.of("PARLEY_SNAPSHOT_AFTER_DAYS", "30", "PARLEY_S3_BUCKET", "static-files",
                "PARLEY_CDN_BASE_URL", "https://cdn.example.com/parley/")).snapshotAfterDays()).isEqualTo(30);
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_SNAPSHOT_AFTER_DAYS", "30", "PARLEY_S3_BUCKET", "static-files")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "PARLEY_SNAPSHOT_AFTER_DAYS=30 needs PARLEY_S3_BUCKET (where snapshots are uploaded) and"
                                + " PARLEY_CDN_BASE_URL (where the embed loads them); set both, or set it to 0"));
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_SNAPSHOT_AFTER_DAYS", "-1")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("PARLEY_SNAPSHOT_AFTER_DAYS"));
    }
}
