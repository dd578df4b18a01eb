package org.parley.cache;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.account.SignInThrottle;
import org.parley.testing.FreePort;
import org.parley.testing.MemcachedProcess;
import org.parley.web.HttpError;
import org.parley.web.RateLimits;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Two "Parley instances" (two MemcachedCache clients over the same two memcached nodes) share rate-limit windows
 * and sign-in lockouts; with no memcached at all, limits fail open.
 */
class CacheCounterStoreIT {
    private static MemcachedProcess a;
    private static MemcachedProcess b;
    private static MemcachedCache first;
    private static MemcachedCache second;

    @BeforeAll
    static void start() {
        a = MemcachedProcess.start();
        b = MemcachedProcess.start();
        // a stalled call would fail open and hide a shared count: these tests are not about timeouts
        first = MemcachedCache.connect(List.of(a.node(), b.node()), MemcachedCacheIT.RELAXED, CacheMetrics.unregistered());
        second = MemcachedCache.connect(List.of(a.node(), b.node()), MemcachedCacheIT.RELAXED, CacheMetrics.unregistered());
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
        a.stop();
        b.stop();
    }

    @Test
    void postsCountedOnEitherInstanceShareOneLimit() {
        var limitsOnFirst = new RateLimits(new CacheCounterStore(first, Clock.systemUTC()), Clock.systemUTC());
        var limitsOnSecond = new RateLimits(new CacheCounterStore(second, Clock.systemUTC()), Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            (i % 2 == 0 ? limitsOnFirst : limitsOnSecond).check(RateLimits.POST_COMMENT, "ip:192.0.2.7");
        }

        HttpError refused = catchThrowableOfType(HttpError.class,
                () -> limitsOnSecond.check(RateLimits.POST_COMMENT, "ip:192.0.2.7"));

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.getMessage()).startsWith("You are posting too fast. Try again in ");
        assertThat(refused.retryAfterSeconds().orElseThrow()).isBetween(1L, 60L);
        assertThatCode(() -> limitsOnFirst.check(RateLimits.POST_COMMENT, "ip:192.0.2.8"))
                .as("another subject").doesNotThrowAnyException();
    }

    @Test
    void aLockoutMadeOnOneInstanceHoldsOnTheOtherAndASuccessfulSignInThereClearsFailures() {
        var throttleOnFirst = new SignInThrottle(new CacheCounterStore(first, Clock.systemUTC()), Clock.systemUTC());
        var throttleOnSecond = new SignInThrottle(new CacheCounterStore(second, Clock.systemUTC()), Clock.systemUTC());

        for (int i = 0; i < SignInThrottle.MAX_FAILURES - 1; i++) {
            throttleOnFirst.failed("bob@example.org");
        }
        throttleOnSecond.succeeded("bob@example.org");
        throttleOnFirst.failed("bob@example.org");
        assertThatCode(() -> throttleOnSecond.checkAllowed("bob@example.org"))
                .as("the success cleared the four failures").doesNotThrowAnyException();

        for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
            (i % 2 == 0 ? throttleOnFirst : throttleOnSecond).failed("carol@example.org");
        }
        HttpError locked = catchThrowableOfType(HttpError.class, () -> throttleOnSecond.checkAllowed("carol@example.org"));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.retryAfterSeconds().orElseThrow()).isBetween(SignInThrottle.LOCKOUT.toSeconds() - 5,
                SignInThrottle.LOCKOUT.toSeconds());
    }

    @Test
    void withMemcachedUnreachableLimitsFailOpen() {
        try (MemcachedCache nowhere = MemcachedCache.connect(
                List.of(new CacheNode("127.0.0.1", FreePort.find())), CacheMetrics.unregistered())) {
            var store = new CacheCounterStore(nowhere, Clock.systemUTC());
            var limits = new RateLimits(store, Clock.systemUTC());
            var throttle = new SignInThrottle(store, Clock.systemUTC());

            assertThatCode(() -> {
                for (int i = 0; i < 50; i++) {
                    limits.check(RateLimits.POST_COMMENT, "ip:192.0.2.9");
                    throttle.failed("dave@example.org");
                    throttle.checkAllowed("dave@example.org");
                }
            }).doesNotThrowAnyException();
            assertThat(nowhere.failing()).isTrue();
        }
    }
}
