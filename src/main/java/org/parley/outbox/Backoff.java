package org.parley.outbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a row that failed is tried again: doubling from {@code first} up to {@code cap}, with ±20 % jitter so the
 * rows of one outage do not all come back in the same second, and dead after {@code attempts} tries.
 *
 * <p>The default (5 s doubling to 15 min, 12 tries) keeps trying for about 66 minutes (11 waits between the 12
 * tries), and after a one-minute outage of the SMTP server the last gap is at most 80 s, so everything is out
 * within about a minute and a half of its return. PARLEY_OUTBOX_FIRST_RETRY_SECONDS moves the first wait and so
 * every later one up to the cap.
 */
public record Backoff(Duration first, Duration cap, int attempts) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(15), 12);

    public Backoff {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0 || attempts < 1) {
            throw new IllegalArgumentException("a backoff needs 0 < first <= cap and at least one attempt");
        }
    }

    /** The same doubling, cap and tries, from another first wait (no longer than the cap). */
    public Backoff startingAt(Duration firstWait) {
        return new Backoff(firstWait, cap, attempts);
    }

    /** Whether a row that has failed {@code tried} times may be tried again. */
    public boolean exhausted(int tried) {
        return tried >= attempts;
    }

    /** The wait after the {@code tried}-th failure (1 = the first). */
    public Duration after(int tried) {
        long millis = first.toMillis();
        for (int i = 1; i < tried && millis < cap.toMillis(); i++) {
            millis *= 2;
        }
        millis = Math.min(millis, cap.toMillis());
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.round(millis * jitter));
    }
}
