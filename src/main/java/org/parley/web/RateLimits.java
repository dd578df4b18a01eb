package org.parley.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How often one subject (an account, or the client address of a guest) may do something, so that a script
 * cannot flood a thread, stuff votes or guess passwords, while a person never notices the limit. Handlers call
 * {@link #check} before doing the work; past a limit it throws a 429 with a sentence for the person and a
 * Retry-After header. Refused attempts count too: a client that keeps hammering stays refused.
 *
 * The numbers, and why:
 * <ul>
 * <li>{@link #POST_COMMENT} 5 a minute, 30 an hour: writing a comment takes a person more than ten seconds,
 *     and 30 in an hour is a very busy evening; a spam run hits both within minutes.</li>
 * <li>{@link #VOTE} 60 a minute: one a second is quicker than anyone reads comments; a vote script wants
 *     hundreds.</li>
 * <li>{@link #SIGN_IN} 10 a minute per address: room for typos and a shared office address, while password
 *     guessing from one address is slowed to a crawl. {@code SignInThrottle} guards each account whatever the
 *     address.</li>
 * <li>{@link #SIGN_UP} 5 an hour per address: a household or a classroom signs up together now and then; an
 *     account farm needs thousands.</li>
 * <li>{@link #PASSWORD_RESET} 10 an hour per address, and {@link #PASSWORD_RESET_PER_ADDRESS} 3 an hour per mail
 *     address: a person who lost a password asks once or twice; more only fills someone's inbox.</li>
 * </ul>
 */
public final class RateLimits {
    /** At most {@code max} events per {@code window} for one subject. */
    public record Rate(int max, Duration window) {
        public Rate {
            if (max < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a rate needs max >= 1 and a positive window, got " + max
                        + " per " + window);
            }
        }
    }

    /** A named limit: every rate must hold; {@code refusal} tells the person what they are doing too fast. */
    public record Limit(String name, String refusal, List<Rate> rates) {
        private static final Pattern NAME = Pattern.compile("[a-z-]{1,32}");

        public Limit {
            if (!NAME.matcher(name).matches() || rates.isEmpty()) {
                throw new IllegalArgumentException("a limit needs a name of a-z and '-' and at least one rate, got '"
                        + name + "' with " + rates);
            }
            rates = List.copyOf(rates);
        }
    }

    public static final Limit POST_COMMENT = new Limit("comment", "You are posting too fast.",
            List.of(perMinute(5), perHour(30)));
    /** Reports, by a guest's address or a member's account: the same pace as posting comments. */
    public static final Limit REPORT = new Limit("report", "You are reporting too fast.",
            List.of(perMinute(5), perHour(30)));
    public static final Limit VOTE = new Limit("vote", "You are voting too fast.", List.of(perMinute(60)));
    public static final Limit SIGN_IN = new Limit("sign-in", "There have been too many sign-in attempts from"
            + " your network.", List.of(perMinute(10)));
    public static final Limit SIGN_UP = new Limit("sign-up", "Too many accounts have been created from your"
            + " network.", List.of(perHour(5)));
    public static final Limit PASSWORD_RESET = new Limit("password-reset", "Too many password resets have been asked"
            + " for from your network.", List.of(perHour(10)));
    /** Per address: a form anyone can fill in must not become a way to flood someone's inbox. */
    public static final Limit PASSWORD_RESET_PER_ADDRESS = new Limit("password-reset-address", "A reset link was"
            + " sent to this address several times already; use the newest one, or wait an hour.", List.of(perHour(3)));

    private static final long SECONDS_SHOWN_AS_SECONDS = 60;

    private final CounterStore counters;
    private final Clock clock;

    private final boolean enabled;

    public RateLimits(CounterStore counters, Clock clock) {
        this(counters, clock, true);
    }

    /** @param enabled false (PARLEY_RATE_LIMITS=false) counts nothing and refuses nothing */
    public RateLimits(CounterStore counters, Clock clock, boolean enabled) {
        this.counters = counters;
        this.clock = clock;
        this.enabled = enabled;
    }

    /**
     * Counts one event of {@code limit} for {@code subject}.
     *
     * @throws HttpError 429 "You are posting too fast. Try again in 40 seconds." when any rate is exceeded
     */
    public void check(Limit limit, String subject) {
        if (!enabled) {
            return;
        }
        Instant retryAt = null;
        for (Rate rate : limit.rates()) {
            String key = CounterStore.key("rate:" + limit.name() + ":" + rate.window().toSeconds(), subject);
            CounterStore.Count count = counters.increment(key, rate.window());
            if (count.value() > rate.max() && (retryAt == null || count.resetsAt().isAfter(retryAt))) {
                retryAt = count.resetsAt();
            }
        }
        if (retryAt != null) {
            throw refusal(limit.refusal(), clock.instant(), retryAt);
        }
    }

    /**
     * A 429 whose sentence and Retry-After both say when to come back: the whole seconds until {@code retryAt},
     * rounded up and at least 1 (a Retry-After of 0 would invite an immediate retry).
     */
    public static HttpError refusal(String sentence, Instant now, Instant retryAt) {
        long seconds = Math.max(1, (Duration.between(now, retryAt).toMillis() + 999) / 1000);
        return HttpError.tooManyRequests(sentence + " Try again in " + inWords(seconds) + ".", seconds);
    }

    /** "1 second", "40 seconds", "1 minute", "15 minutes": minutes are rounded up, never promising too early. */
    static String inWords(long seconds) {
        if (seconds < SECONDS_SHOWN_AS_SECONDS) {
            return seconds == 1 ? "1 second" : seconds + " seconds";
        }
        long minutes = (seconds + 59) / 60;
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }

    private static Rate perMinute(int max) {
        return new Rate(max, Duration.ofMinutes(1));
    }

    private static Rate perHour(int max) {
        return new Rate(max, Duration.ofHours(1));
    }
}
