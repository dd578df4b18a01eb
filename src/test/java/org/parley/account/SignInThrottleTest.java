package org.parley.account;

import org.junit.jupiter.api.Test;
import org.parley.testing.MutableClock;
import org.parley.web.HttpError;
import org.parley.web.LocalCounters;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SignInThrottleTest {
    private static final String ANN = "ann@example.org";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(new LocalCounters(clock), clock);

    @Test
    void fourFailuresStillAllowAnotherTry() {
        fail(ANN, 4);

        assertThatCode(() -> throttle.checkAllowed(ANN)).doesNotThrowAnyException();
    }

    @Test
    void fiveFailuresLockTheAccountForFifteenMinutes() {
        fail(ANN, 5);

        HttpError refused = refusal(ANN);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.getMessage()).isEqualTo(
                "There have been too many failed sign-ins to this account. Try again in 15 minutes.");
        assertThat(refused.retryAfterSeconds()).hasValue(900);
        assertThat(refused.message(Locale.FRENCH)).isEqualTo(
                "Trop de tentatives de connexion à ce compte ont échoué. Réessayez dans 15 minutes.");

        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertThat(refusal(ANN).getMessage()).endsWith("Try again in 1 second.");

        clock.advance(Duration.ofSeconds(1));
        assertThatCode(() -> throttle.checkAllowed(ANN)).doesNotThrowAnyException();
    }

    @Test
    void theLockCountsFromTheFifthFailureNotTheFirst() {
        fail(ANN, 4);
        clock.advance(Duration.ofMinutes(10));
        fail(ANN, 1);
        clock.advance(Duration.ofMinutes(10));

        assertThat(refusal(ANN).retryAfterSeconds()).hasValue(300);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        fail(ANN, 4);
        clock.advance(SignInThrottle.FAILURE_WINDOW);
        fail(ANN, 4);

        assertThatCode(() -> throttle.checkAllowed(ANN)).doesNotThrowAnyException();
    }

    @Test
    void theLockHoldsForTheEmailHoweverItIsWritten() {
        fail("Ann@Example.org", 2);
        fail(" ann@example.ORG ", 3);

        assertThat(refusal(ANN)).isNotNull();
    }

    @Test
    void aSuccessfulSignInClearsEarlierFailures() {
        fail(ANN, 4);
        throttle.succeeded(ANN);
        fail(ANN, 4);

        assertThatCode(() -> throttle.checkAllowed(ANN)).doesNotThrowAnyException();
    }

    @Test
    void otherAccountsAreNotLocked() {
        fail(ANN, 5);

        assertThatCode(() -> throttle.checkAllowed("bob@example.org")).doesNotThrowAnyException();
    }

    private void fail(String email, int times) {
        for (int i = 0; i < times; i++) {
            throttle.checkAllowed(email);
            throttle.failed(email);
        }
    }

    private HttpError refusal(String email) {
        return catchThrowableOfType(HttpError.class, () -> throttle.checkAllowed(email));
    }
}
