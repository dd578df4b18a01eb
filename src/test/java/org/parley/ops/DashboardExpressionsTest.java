package org.parley.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardExpressionsTest {
    @Test
    void findsMetricNamesButNotFunctionsLabelsOrDurations() {
        assertThat(DashboardExpressions.metricNames(
                "sum by (route) (rate(a_count{status=~\"4xx|5xx\",x=\"by (y)\"}[$__rate_interval])) / "
                        + "ignoring(z) topk(5, max without (q) (b_total)) and on (i) c offset 5m"))
                .containsExactly("a_count", "b_total", "c");
    }

    @Test
    void readsEveryExprOfADashboard() {
        assertThat(DashboardExpressions.of("{\"targets\":[{\"expr\": \"up{job=\\\"p\\\"}\"},{\"expr\":\"x\"}]}"))
                .containsExactly("up{job=\"p\"}", "x");
    }
}
