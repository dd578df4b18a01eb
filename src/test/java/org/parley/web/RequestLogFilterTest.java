package org.parley.web;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log line reads as it always did (operators grep it; bench/run counts SQL from it). */
class RequestLogFilterTest {

    @Test
    void theLineReadsAsTheFormattedOneDid() {
        double[] times = {0, 0.04, 0.05, 0.3, 1, 12.35, 12.449, 99.96, 1234.5, 86_400_000};
        for (double ms : times) {
            for (double sqlMs : times) {
                String expected = String.format(Locale.ROOT, "%s %s %d %.1f ms sql=%d (%.1f ms) id=%s client=%s",
                        "POST", "/t/default/key", 302, Math.round(ms * 10) / 10.0, 7L, Math.round(sqlMs * 10) / 10.0,
                        "ab12", "127.0.0.1");
                assertThat(RequestLogFilter.line("POST", "/t/default/key", 302, ms, 7, sqlMs, "ab12", "127.0.0.1"))
                        .as("%s ms, %s ms of SQL", ms, sqlMs).isEqualTo(expected);
            }
        }
    }
}
