package org.parley.moderation;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SvgChartTest {
    @Test
    void scalesRoundUpToOneTwoOrFive() {
        assertThat(SvgChart.niceMax(0)).isEqualTo(1);
        assertThat(SvgChart.niceMax(7)).isEqualTo(10);
        assertThat(SvgChart.niceMax(13)).isEqualTo(20);
        assertThat(SvgChart.niceMax(41)).isEqualTo(50);
        assertThat(SvgChart.niceMax(500)).isEqualTo(500);
    }

    @Test
    void barsAreTitledDescribedAndEscaped() {
        String svg = SvgChart.bars("c1", "Comments <per> day", "a & b", new SvgChart.Axes("Day (UTC)", "comments"),
                List.of("11-01", "11-02", "11-03"), List.of(2.0, 0.0, 4.0));
        assertThat(svg).startsWith("<svg ").endsWith("</svg>")
                .contains("role=\"img\"", "aria-labelledby=\"c1-title c1-desc\"", "<title id=\"c1-title\">Comments &lt;per&gt; day</title>",
                        "<desc id=\"c1-desc\">a &amp; b</desc>", ">Day (UTC)<", ">comments<", "<title>11-03: 4</title>")
                .doesNotContain("style=");
        assertThat(svg.split("class=\"bar\"", -1).length - 1).isEqualTo(2); // a zero day draws no bar
    }

    @Test
    void aLineBreaksWhereThereIsNoData() {
        String svg = SvgChart.lines("c2", "t", "d", new SvgChart.Axes("Day (UTC)", "minutes"),
                List.of("a", "b", "c", "d"), List.of(new SvgChart.Series("median", Arrays.asList(1.0, null, 3.0, 4.0), "first")));
        String path = svg.substring(svg.indexOf(" d=\"") + 4);
        path = path.substring(0, path.indexOf('"'));
        assertThat(path.chars().filter(c -> c == 'M').count()).isEqualTo(2);
        assertThat(path.chars().filter(c -> c == 'L').count()).isEqualTo(1);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] seconds = {60, 120, 180, 240, 600, 600, 600, 600, 600, 3000};
        assertThat(SiteStats.percentile(seconds, 0.5)).isEqualTo(Duration.ofMinutes(10));
        assertThat(SiteStats.percentile(seconds, 0.9)).isEqualTo(Duration.ofMinutes(10));
        assertThat(SiteStats.percentile(new double[]{30}, 0.9)).isEqualTo(Duration.ofSeconds(30));
        assertThat(SiteStats.percentile(new double[0], 0.5)).isNull();
    }
}
