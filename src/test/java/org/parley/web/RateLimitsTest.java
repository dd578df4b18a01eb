package org.parley.web;

import org.junit.jupiter.api.Test;
import org.parley.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RateLimitsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final RateLimits limits = new RateLimits(new LocalCounters(clock), clock);

    @Test
    void theSixthPostInAMinuteIsRefusedWithTheTimeToWait() {
        postTimes(5, "account:1");
        clock.advance(Duration.ofSeconds(20));

        HttpError refused = refusal(RateLimits.POST_COMMENT, "account:1");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.getMessage()).isEqualTo("You are posting too fast. Try again in 40 seconds.");
        assertThat(refused.retryAfterSeconds()).hasValue(40);
    }

    @Test
    void aNewWindowAllowsPostingAgain() {
        postTimes(5, "account:1");
        assertThat(refusal(RateLimits.POST_COMMENT, "account:1")).isNotNull();

        clock.advance(Duration.ofMinutes(1));

        assertThatCode(() -> postTimes(5, "account:1")).doesNotThrowAnyException();
    }

    @Test
    void differentSubjectsDoNotInterfere() {
        postTimes(5, "account:1");

        assertThatCode(() -> postTimes(5, "account:2")).doesNotThrowAnyException();
        assertThatCode(() -> postTimes(5, "203.0.113.7")).doesNotThrowAnyException();
        assertThat(refusal(RateLimits.POST_COMMENT, "account:1")).isNotNull();
    }

    @Test
    void differentLimitsCountSeparately() {
        postTimes(5, "account:1");

        assertThatCode(() -> limits.check(RateLimits.VOTE, "account:1")).doesNotThrowAnyException();
    }

    @Test
    void theHourlyLimitHoldsWhenEveryMinuteStaysUnderItsOwn() {
        for (int minute = 0; minute < 6; minute++) {
            postTimes(5, "account:1");
            clock.advance(Duration.ofMinutes(1));
        }

        HttpError refused = refusal(RateLimits.POST_COMMENT, "account:1");

        assertThat(refused.getMessage()).isEqualTo("You are posting too fast. Try again in 54 minutes.");
        assertThat(refused.retryAfterSeconds()).hasValue(54 * 60);
    }

    @Test
    void signInIsLimitedPerAddressAtTenAMinute() {
        for (int i = 0; i < 10; i++) {
            limits.check(RateLimits.SIGN_IN, "198.51.100.4");
        }

        assertThat(refusal(RateLimits.SIGN_IN, "198.51.100.4").getMessage())
                .isEqualTo("There have been too many sign-in attempts from your network. Try again in 1 minute.");
    }

    @Test
    void aWaitOfPartOfASecondIsRoundedUpToOne() {
        postTimes(5, "account:1");
        clock.advance(Duration.ofMillis(59_500));

        HttpError refused = refusal(RateLimits.POST_COMMENT, "account:1");

        assertThat(refused.getMessage()).endsWith("Try again in 1 second.");
        assertThat(refused.retryAfterSeconds()).hasValue(1);
    }

    @Test
    void waitsReadNaturally() {
        assertThat(RateLimits.inWords(1)).isEqualTo("1 second");
        assertThat(RateLimits.inWords(59)).isEqualTo("59 seconds");
        assertThat(RateLimits.inWords(60)).isEqualTo("1 minute");
        assertThat(RateLimits.inWords(61)).isEqualTo("2 minutes");
        assertThat(RateLimits.inWords(900)).isEqualTo("15 minutes");
    }

    private void postTimes(int times, String subject) {
        for (int i = 0; i < times; i++) {
            limits.check(RateLimits.POST_COMMENT, subject);
        }
    }

    private HttpError refusal(RateLimits.Limit limit, String subject) {
        return catchThrowableOfType(HttpError.class, () -> limits.check(limit, subject));
    }
}
