package org.parley.testing;

import org.parley.outbox.Backoff;

import java.time.Duration;

/**
 * How fast the outbox tests retry: the outbox's first wait after a failure (PARLEY_OUTBOX_FIRST_RETRY_SECONDS), 1 s
 * unless {@code -Dparley.outbox.firstRetry=5} asks for production's, and outages scaled by the same factor. The
 * retries are the same in number and shape, so a test shows what it would at production speed in a fifth of the
 * time; docs/mail.md quotes the figures measured at production speed.
 */
public final class OutboxPace {
    public static final int FIRST_RETRY_SECONDS = Integer.getInteger("parley.outbox.firstRetry", 1);
    private static final long PRODUCTION_FIRST_MILLIS = Backoff.DEFAULT.first().toMillis();

    private OutboxPace() {
    }

    /** The setting that gives an instance this pace, as a name and value. */
    public static final String SETTING = "PARLEY_OUTBOX_FIRST_RETRY_SECONDS";
    public static final String VALUE = Integer.toString(FIRST_RETRY_SECONDS);

    /** A span that means {@code atProductionPace} when the first retry is production's, scaled to this pace. */
    public static Duration scaled(Duration atProductionPace) {
        return Duration.ofMillis(atProductionPace.toMillis() * FIRST_RETRY_SECONDS * 1000 / PRODUCTION_FIRST_MILLIS);
    }
}
