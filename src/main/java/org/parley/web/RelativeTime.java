package org.parley.web;

import com.ibm.icu.text.RelativeDateTimeFormatter;
import com.ibm.icu.text.RelativeDateTimeFormatter.RelativeDateTimeUnit;
import com.ibm.icu.util.ULocale;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times as people read them on a page: "3 hours ago" in the page's language (ICU's wording and plurals), with the
 * exact time for a {@code title} and a machine-readable one for {@code <time datetime>}. The exact time is in UTC
 * here; the page's script rewrites it in the reader's own time zone, which only the browser knows.
 *
 * <p>One instance per rendered page, bound to that page's "now", so every time on it is relative to one moment.
 */
public final class RelativeTime {
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    private final Instant now;
    private final RelativeDateTimeFormatter words;

    public RelativeTime(Instant now, Locale locale) {
        this.now = now;
        this.words = RelativeDateTimeFormatter.getInstance(ULocale.forLocale(locale));
    }

    /** "now", "5 minutes ago", "yesterday", "3 months ago": the largest unit that fits, rounded down. */
    public String ago(OffsetDateTime then) {
        long seconds = Math.max(0, Duration.between(then.toInstant(), now).toSeconds());
        if (seconds < 45) {
            return words.format(0, RelativeDateTimeUnit.SECOND);
        }
        long minutes = Math.max(1, seconds / 60);
        if (minutes < 60) {
            return words.format(-minutes, RelativeDateTimeUnit.MINUTE);
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return words.format(-hours, RelativeDateTimeUnit.HOUR);
        }
        long days = hours / 24;
        if (days < 30) {
            return words.format(-days, RelativeDateTimeUnit.DAY);
        }
        if (days < 365) {
            return words.format(-(days / 30), RelativeDateTimeUnit.MONTH);
        }
        return words.format(-(days / 365), RelativeDateTimeUnit.YEAR);
    }

    /** The exact time, for a title: "2026-12-04 15:38 UTC". */
    public String exact(OffsetDateTime then) {
        return EXACT.format(then.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /** For {@code <time datetime>}: ISO 8601 in UTC. */
    public String iso(OffsetDateTime then) {
        return then.toInstant().toString();
    }
}
