package org.parley.edge;

import org.junit.jupiter.api.Test;
import org.parley.Config;
import org.parley.config.ConfigException;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgeSettingsTest {
    @Test
    void noEdgeByDefault() {
        assertThat(Config.load(Map.of()).edge().configured()).isFalse();
    }

    @Test
    void aCdnTalksToItsOwnApiUnlessTheUrlIsOverridden() {
        var fastly = Config.load(Map.of("PARLEY_EDGE", "fastly", "PARLEY_EDGE_SERVICE", "SU1Z0isxPaozGVKXdv0eY",
                "PARLEY_EDGE_TOKEN", "secret-token")).edge();
        assertThat(fastly.url()).isEqualTo(URI.create("https://api.fastly.com"));
        assertThat(fastly.ttl()).isEqualTo(Duration.ofDays(1));
        assertThat(fastly.toString()).doesNotContain("secret-token");

        var cloudflare = Config.load(Map.of("PARLEY_EDGE", "Cloudflare", "PARLEY_EDGE_SERVICE", "023e105f4ecef8ad9ca31a8372d0c353",
                "PARLEY_EDGE_TOKEN", "t", "PARLEY_EDGE_URL", "http://127.0.0.1:9999", "PARLEY_EDGE_TTL_SECONDS", "3600"))
                .edge();
        assertThat(cloudflare.url()).isEqualTo(URI.create("http://127.0.0.1:9999"));
        assertThat(cloudflare.ttl()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void eachProviderNamesWhatItLacks() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_EDGE", "varnish")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PARLEY_EDGE=varnish needs PARLEY_EDGE_URL: the Varnish HTTP address");
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_EDGE", "fastly")))
                .hasMessageContaining("PARLEY_EDGE=fastly needs PARLEY_EDGE_SERVICE: the service id")
                .hasMessageContaining("PARLEY_EDGE=fastly needs PARLEY_EDGE_TOKEN");
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_EDGE", "cloudfront", "PARLEY_EDGE_SERVICE", "e2qwr",
                "PARLEY_EDGE_AWS_ACCESS_KEY", "AKIDEXAMPLE")))
                .hasMessageContaining("the distribution id (capital letters and digits, like E2QWRUHAPOMQZL), got 'e2qwr'")
                .hasMessageContaining("PARLEY_EDGE_AWS_ACCESS_KEY and PARLEY_EDGE_AWS_SECRET_KEY go together");
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_EDGE", "akamai")))
                .hasMessageContaining("PARLEY_EDGE must be one of [none, varnish, fastly, cloudflare, cloudfront], got 'akamai'");
    }

    @Test
    void edgeDetailsWithoutAnEdgeAreAMistake() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_EDGE_TOKEN", "t")))
                .hasMessageContaining("PARLEY_EDGE_TOKEN is set but PARLEY_EDGE is none");
    }

    @Test
    void theTokenIsMaskedInTheEffectiveSettings() {
        var config = Config.load(Map.of("PARLEY_EDGE", "cloudflare", "PARLEY_EDGE_SERVICE", "abc",
                "PARLEY_EDGE_TOKEN", "secret-token"));
        assertThat(config.describe()).contains("PARLEY_EDGE_TOKEN=****").doesNotContain("secret-token");
    }
}
