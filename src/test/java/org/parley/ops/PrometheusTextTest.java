package org.parley.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test-side reader must be strict, or "/metrics parses" would prove nothing. */
class PrometheusTextTest {
    @Test
    void readsFamiliesLabelsEscapesAndSpecialValues() {
        var scrape = PrometheusText.parse("""
                # HELP req Requests\\nby route
                # TYPE req summary
                req{route="/t/*",quantile="0.5"} 0.25
                req_sum{route="/t/*"} 1.5
                req_count{route="/t/*"} 6
                # TYPE odd gauge
                odd{v="a \\"quoted\\" back\\\\slash"} NaN
                odd{v="b"} +Inf 1700000000000
                # TYPE hits_total counter
                hits_total 3e2
                """);
        assertThat(scrape.one("req_count", Map.of("route", "/t/*")).value()).isEqualTo(6);
        assertThat(scrape.one("odd", Map.of()).labels().get("v")).isEqualTo("a \"quoted\" back\\slash");
        assertThat(scrape.get("odd").get(1).value()).isInfinite();
        assertThat(scrape.one("hits_total", Map.of()).value()).isEqualTo(300);
        assertThat(scrape.types()).containsEntry("req", "summary");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "9bad 1\n",                                  // name starts with a digit
            "x{a=\"1\"} one\n",                          // value is not a number
            "x{a=1} 1\n",                                // unquoted label value
            "x{a=\"1\",a=\"2\"} 1\n",                    // label twice
            "x{a=\"\\t\"} 1\n",                          // escape Prometheus does not know
            "x 1\nx 2\n",                                // the same series twice
            "x 1\ny 1\nx{a=\"b\"} 1\n",                  // a family split in two
            "# TYPE x gauge\n# TYPE x counter\nx 1\n",   // two types
            "x 1\n# TYPE x gauge\n",                     // type after samples
            "# TYPE x fancy\nx 1\n",                     // unknown type
            "x 1",                                       // no final line feed
            "x{a=\"1\" 1\n",                             // unterminated labels
    })
    void refusesWhatPrometheusRefuses(String text) {
        assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(PrometheusText.FormatError.class);
    }
}
