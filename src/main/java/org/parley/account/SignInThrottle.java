package org.parley.account;

import org.parley.web.CounterStore;
import org.parley.web.RateLimits;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Locks one account's sign-in after repeated wrong passwords, whatever addresses they come from: a botnet
 * guessing one person's password gets five tries every quarter of an hour, not five per address.
 * {@link RateLimits#SIGN_IN} limits each address; this limits each email.
 *
 * The price is that anyone who knows an email can keep its owner locked out by failing on purpose; the lockout
 * is short for that reason. Unknown emails are throttled exactly like known ones, so the refusal never tells
 * whether an account exists.
 *
 * Use: {@link #checkAllowed} before checking the password, then {@link #failed} or {@link #succeeded}.
 */
public final class SignInThrottle {
    public static final int MAX_FAILURES = 5;
    /** Failures count from the first one for this long. */
    public static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);
    /** How long sign-in stays refused after the last allowed failure. */
    public static final Duration LOCKOUT = Duration.ofMinutes(15);
    /** "There have been too many failed sign-ins to this account. Try again in 15 minutes.", with the wait. */
    private static final String REFUSAL = "rate.error.signInLocked";

    private final CounterStore counters;
    private final Clock clock;

    public SignInThrottle(CounterStore counters, Clock clock) {
        this.counters = counters;
        this.clock = clock;
    }

    /** @throws org.parley.web.HttpError 429 with Retry-After while the account is locked */
    public void checkAllowed(String email) {
        var lock = counters.peek(lockKey(email));
        if (lock.isPresent()) {
            throw RateLimits.refusal(REFUSAL, clock.instant(), lock.get().resetsAt());
        }
    }

    /** Records a wrong password; the {@value #MAX_FAILURES}th within the window locks the account. */
    public void failed(String email) {
        String failures = failureKey(email);
        if (counters.increment(failures, FAILURE_WINDOW).value() >= MAX_FAILURES) {
            counters.increment(lockKey(email), LOCKOUT);
            counters.reset(failures);
        }
    }

    /** The right password: earlier failures no longer count. */
    public void succeeded(String email) {
        counters.reset(failureKey(email));
    }

    private static String failureKey(String email) {
        return CounterStore.key("sign-in-failures", normalized(email));
    }

    private static String lockKey(String email) {
        return CounterStore.key("sign-in-lock", normalized(email));
    }

    /** The same normalisation as sign-in's lookup, so "Ann@Example.org " and "ann@example.org" share a lock. */
    private static String normalized(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
