package org.parley.cache;

import org.junit.jupiter.api.Test;
import org.parley.account.SignInThrottle;
import org.parley.testing.MutableClock;
import org.parley.web.CounterStore;
import org.parley.web.HttpError;
import org.parley.web.RateLimits;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The counter store's window arithmetic over the in-process cache; sharing and failing open are in the IT. */
class CacheCounterStoreTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final LocalCache cache = new LocalCache(clock, CacheMetrics.unregistered());
    private final CacheCounterStore counters = new CacheCounterStore(cache, clock);

    @Test
    void aCounterCountsWithinTheWindowFromItsFirstEventAndStartsAgainAfterIt() {
        assertThat(counters.increment("rate:x:60:ab", MINUTE)).isEqualTo(new CounterStore.Count(1, START.plus(MINUTE)));
        clock.advance(Duration.ofSeconds(59));
        assertThat(counters.increment("rate:x:60:ab", MINUTE)).isEqualTo(new CounterStore.Count(2, START.plus(MINUTE)));
        clock.advance(Duration.ofSeconds(1));
        assertThat(counters.increment("rate:x:60:ab", MINUTE))
                .isEqualTo(new CounterStore.Count(1, START.plus(MINUTE).plus(MINUTE)));
    }

    @Test
    void peekDoesNotCountAndResetForgets() {
        counters.increment("k", MINUTE);
        counters.increment("k", MINUTE);

        assertThat(counters.peek("k")).hasValue(new CounterStore.Count(2, START.plus(MINUTE)));
        assertThat(counters.peek("k")).hasValue(new CounterStore.Count(2, START.plus(MINUTE)));
        assertThat(counters.peek("other")).isEmpty();
        counters.reset("k");
        assertThat(counters.peek("k")).isEmpty();
        assertThat(counters.increment("k", MINUTE).value()).isEqualTo(1);
    }

    @Test
    void keysAreReadableInTheCache() {
        counters.increment("rate:comment:60:0123456789abcdef", MINUTE);

        assertThat(cache.get("p1:counter:rate:comment:60:0123456789abcdef")).hasValue("1");
        assertThat(cache.get("p1:counter-end:rate:comment:60:0123456789abcdef"))
                .hasValue(Long.toString(START.plus(MINUTE).toEpochMilli()));
    }

    @Test
    void aLostResetMomentGivesARetryAfterThatIsLateNeverEarly() {
        counters.increment("k", MINUTE);
        cache.delete("p1:counter-end:k");
        clock.advance(Duration.ofSeconds(30));

        assertThat(counters.increment("k", MINUTE).resetsAt()).isEqualTo(START.plusSeconds(90));
        assertThat(counters.peek("k").orElseThrow().resetsAt()).isEqualTo(clock.instant().plus(CacheCounterStore.UNKNOWN_RESET));
    }

    @Test
    void rateLimitsAndTheSignInLockoutWorkOverIt() {
        var limits = new RateLimits(counters, clock);
        for (int i = 0; i < 5; i++) {
            limits.check(RateLimits.POST_COMMENT, "account:1");
        }
        clock.advance(Duration.ofSeconds(20));
        HttpError refused = catchThrowableOfType(HttpError.class, () -> limits.check(RateLimits.POST_COMMENT, "account:1"));
        assertThat(refused.getMessage()).isEqualTo("You are posting too fast. Try again in 40 seconds.");

        var throttle = new SignInThrottle(counters, clock);
        for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
            throttle.failed("ann@example.org");
        }
        HttpError locked = catchThrowableOfType(HttpError.class, () -> throttle.checkAllowed("Ann@Example.org"));
        assertThat(locked.retryAfterSeconds()).hasValue(900);
    }
}
