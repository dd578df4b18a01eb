package org.parley.web;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** "3 hours ago" in the page's language, with plurals and the words ICU has for them. */
class RelativeTimeTest {
    private static final Instant NOW = Instant.parse("2026-12-04T15:00:00Z");

    @Test
    void picksTheLargestUnitThatFitsInTheLanguage() {
        RelativeTime en = new RelativeTime(NOW, Locale.ENGLISH);
        assertThat(en.ago(before(Duration.ofSeconds(10)))).isEqualTo("now");
        assertThat(en.ago(before(Duration.ofMinutes(1)))).isEqualTo("1 minute ago");
        assertThat(en.ago(before(Duration.ofMinutes(59)))).isEqualTo("59 minutes ago");
        assertThat(en.ago(before(Duration.ofHours(3)))).isEqualTo("3 hours ago");
        assertThat(en.ago(before(Duration.ofHours(30)))).isEqualTo("yesterday");
        assertThat(en.ago(before(Duration.ofDays(45)))).isEqualTo("last month");
        assertThat(en.ago(before(Duration.ofDays(800)))).isEqualTo("2 years ago");
        assertThat(new RelativeTime(NOW, Locale.FRENCH).ago(before(Duration.ofHours(3)))).isEqualTo("il y a 3 heures");
        assertThat(new RelativeTime(NOW, Locale.GERMAN).ago(before(Duration.ofHours(1)))).isEqualTo("vor 1 Stunde");
    }

    @Test
    void aTimeAheadOfTheClockIsNow() { // another instance's clock a little ahead
        assertThat(new RelativeTime(NOW, Locale.ENGLISH).ago(OffsetDateTime.ofInstant(NOW.plusSeconds(5), ZoneOffset.UTC)))
                .isEqualTo("now");
    }

    @Test
    void theExactTimeIsInUtcForTheTitleAndIsoForTheMachine() {
        RelativeTime en = new RelativeTime(NOW, Locale.ENGLISH);
        OffsetDateTime paris = OffsetDateTime.parse("2026-12-04T16:30:00+01:00");
        assertThat(en.exact(paris)).isEqualTo("2026-12-04 15:30 UTC");
        assertThat(en.iso(paris)).isEqualTo("2026-12-04T15:30:00Z");
    }

    private static OffsetDateTime before(Duration ago) {
        return OffsetDateTime.ofInstant(NOW.minus(ago), ZoneOffset.UTC);
    }
}
