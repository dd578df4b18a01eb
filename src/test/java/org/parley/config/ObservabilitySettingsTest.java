package org.parley.config;

import org.junit.jupiter.api.Test;
import org.parley.Config;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PARLEY_METRICS_TOKEN, PARLEY_SENTRY_DSN and PARLEY_INSPECTOR_SAMPLE_RATE: defaults, masking, refusals. */
class ObservabilitySettingsTest {
    @Test
    void byDefaultMetricsAreLocalNothingIsReportedAndOneRequestInAHundredIsSampled() {
        Observability o = Config.load(Map.of()).observability();
        assertThat(o.metricsToken()).isEmpty();
        assertThat(o.sentryDsn()).isEmpty();
        assertThat(o.inspectorSampleRate()).isEqualTo(0.01);
    }

    @Test
    void theTokenAndTheDsnAreMaskedInTheStartUpLog() {
        Config config = Config.load(Map.of("PARLEY_METRICS_TOKEN", "s3cret-s3cret-s3cret",
                "PARLEY_SENTRY_DSN", "https://abc123@sentry.example.com/7", "PARLEY_INSPECTOR_SAMPLE_RATE", "0.5"));
        assertThat(config.observability().inspectorSampleRate()).isEqualTo(0.5);
        assertThat(config.describe()).contains("PARLEY_METRICS_TOKEN=****", "PARLEY_SENTRY_DSN=****")
                .doesNotContain("s3cret", "abc123");
        assertThat(config.toString()).doesNotContain("s3cret", "abc123");
    }

    @Test
    void badValuesAreRefusedTogetherEachNamingItsSetting() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_METRICS_TOKEN", "short",
                "PARLEY_SENTRY_DSN", "sentry.example.com", "PARLEY_INSPECTOR_SAMPLE_RATE", "5%")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARLEY_METRICS_TOKEN must be at least 16 characters")
                .hasMessageContaining("PARLEY_SENTRY_DSN must be a Sentry DSN like https://PUBLIC_KEY@")
                .hasMessageContaining("PARLEY_INSPECTOR_SAMPLE_RATE must be a number from 0 to 1");
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_INSPECTOR_SAMPLE_RATE", "1.5")))
                .hasMessageContaining("PARLEY_INSPECTOR_SAMPLE_RATE must be a number from 0 to 1");
    }
}
