package org.parley.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How often one subject (an account, or the client address of a guest) may do something, so that a script
 * cannot flood a thread, stuff votes or guess passwords, while a person never notices the limit. Handlers call
 * {@link #check} before doing the work; past a limit it throws a 429 with a sentence for the person, in their
 * language on pages and in English for logs and the API (a message key, {@code rate.error.*}), and a Retry-After
 * header. Refused attempts count too: a client that keeps hammering stays refused.
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

    /**
     * A named limit: every rate must hold; {@code refusalKey} is the message (i18n/messages*.properties) that tells
     * the person what they are doing too fast and when to try again, with the {@link Wait} as its arguments.
     */
    public record Limit(String name, String refusalKey, List<Rate> rates) {
        private static final Pattern NAME = Pattern.compile("[a-z-]{1,32}");

        public Limit {
            if (!NAME.matcher(name).matches() || rates.isEmpty()) {
                throw new IllegalArgumentException("a limit needs a name of a-z and '-' and at least one rate, got '"
                        + name + "' with " + rates);
            }
            // a key missing from messages.properties fails when the class loads, not at the first refusal
            BundleMessageResolver.required(Locale.ENGLISH, refusalKey, 1L, Wait.SECONDS);
            rates = List.copyOf(rates);
        }
    }

    public static final Limit POST_COMMENT = new Limit("comment", "rate.error.comment",
            List.of(perMinute(5), perHour(30)));
    /** Reports, by a guest's address or a member's account: the same pace as posting comments. */
    public static final Limit REPORT = new Limit("report", "rate.error.report", List.of(perMinute(5), perHour(30)));
    public static final Limit VOTE = new Limit("vote", "rate.error.vote", List.of(perMinute(60)));
    public static final Limit SIGN_IN = new Limit("sign-in", "rate.error.signIn", List.of(perMinute(10)));
    public static final Limit SIGN_UP = new Limit("sign-up", "rate.error.signUp", List.of(perHour(5)));
    public static final Limit PASSWORD_RESET = new Limit("password-reset", "rate.error.passwordReset",
            List.of(perHour(10)));
    /** Per address: a form anyone can fill in must not become a way to flood someone's inbox. */
    public static final Limit PASSWORD_RESET_PER_ADDRESS = new Limit("password-reset-address",
            "rate.error.passwordResetAddress", List.of(perHour(3)));

    /**
     * How long to wait, the way a refusal says it: {@code amount} seconds under a minute, else whole minutes rounded
     * up, never promising too early. A refusal's message takes {@code amount} as argument 0 (a plural) and
     * {@code unit} as argument 1 (a select: {@code minutes}, or {@code seconds} as its other), so each language
     * words "1 minute" or "40 secondes" with its own plural forms.
     */
    public record Wait(long amount, String unit) {
        public static final String SECONDS = "seconds";
        public static final String MINUTES = "minutes";
        private static final long SECONDS_SHOWN_AS_SECONDS = 60;

        public static Wait of(long seconds) {
            if (seconds < SECONDS_SHOWN_AS_SECONDS) {
                return new Wait(seconds, SECONDS);
            }
            return new Wait((seconds + 59) / 60, MINUTES);
        }
    }

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
     * @throws HttpError 429 "You are posting too fast. Try again in 40 seconds." (in the reader's language on a
     *     page) with Retry-After when any rate is exceeded
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
            throw refusal(limit.refusalKey(), clock.instant(), retryAt);
        }
    }

    /**
     * A 429 whose sentence and Retry-After both say when to come back: the whole seconds until {@code retryAt},
     * rounded up and at least 1 (a Retry-After of 0 would invite an immediate retry). The sentence is the message
     * {@code key} with the {@link Wait}: worded in the reader's language on pages, English for logs and the API.
     */
    public static HttpError refusal(String key, Instant now, Instant retryAt) {
        long seconds = Math.max(1, (Duration.between(now, retryAt).toMillis() + 999) / 1000);
        Wait wait = Wait.of(seconds);
        return HttpError.worded(429, key, wait.amount(), wait.unit()).retryingAfter(seconds);
    }

    private static Rate perMinute(int max) {
        return new Rate(max, Duration.ofMinutes(1));
    }

    private static Rate perHour(int max) {
        return new Rate(max, Duration.ofHours(1));
    }
}
