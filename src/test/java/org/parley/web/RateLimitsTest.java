package org.parley.web;

import org.junit.jupiter.api.Test;
import org.parley.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

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
    void waitsAreSecondsUnderAMinuteElseMinutesRoundedUp() {
        assertThat(RateLimits.Wait.of(1)).isEqualTo(new RateLimits.Wait(1, "seconds"));
        assertThat(RateLimits.Wait.of(59)).isEqualTo(new RateLimits.Wait(59, "seconds"));
        assertThat(RateLimits.Wait.of(60)).isEqualTo(new RateLimits.Wait(1, "minutes"));
        assertThat(RateLimits.Wait.of(61)).isEqualTo(new RateLimits.Wait(2, "minutes"));
        assertThat(RateLimits.Wait.of(900)).isEqualTo(new RateLimits.Wait(15, "minutes"));
    }

    @Test
    void waitsReadNaturallyInEnglish() {
        assertThat(sentence(Locale.ENGLISH, 1)).isEqualTo("You are posting too fast. Try again in 1 second.");
        assertThat(sentence(Locale.ENGLISH, 59)).isEqualTo("You are posting too fast. Try again in 59 seconds.");
        assertThat(sentence(Locale.ENGLISH, 60)).isEqualTo("You are posting too fast. Try again in 1 minute.");
        assertThat(sentence(Locale.ENGLISH, 61)).isEqualTo("You are posting too fast. Try again in 2 minutes.");
        assertThat(sentence(Locale.ENGLISH, 900)).isEqualTo("You are posting too fast. Try again in 15 minutes.");
    }

    @Test
    void aRefusalIsInTheReadersLanguageOnAPageAndEnglishForPrograms() {
        postTimes(5, "account:1");
        clock.advance(Duration.ofSeconds(20));

        HttpError refused = refusal(RateLimits.POST_COMMENT, "account:1");

        assertThat(refused.getMessage()).isEqualTo("You are posting too fast. Try again in 40 seconds.");
        assertThat(refused.message(Locale.FRENCH)).isEqualTo("Vous publiez trop vite. Réessayez dans 40 secondes.");
        assertThat(refused.message(Locale.GERMAN)).isEqualTo("Du kommentierst zu schnell. Versuch es in 40 Sekunden noch einmal.");
        assertThat(refused.message(Locale.forLanguageTag("es")))
                .isEqualTo("Estás publicando demasiado rápido. Vuelve a intentarlo dentro de 40 segundos.");
        assertThat(refused.retryAfterSeconds()).hasValue(40);
    }

    @Test
    void eachLanguageWordsTheWaitWithItsOwnPluralForms() {
        Locale french = Locale.FRENCH;
        Locale arabic = Locale.forLanguageTag("ar");
        assertThat(sentence(french, 1)).endsWith("Réessayez dans 1 seconde.");
        assertThat(sentence(french, 120)).endsWith("Réessayez dans 2 minutes.");
        assertThat(sentence(Locale.GERMAN, 60)).endsWith("Versuch es in 1 Minute noch einmal.");
        assertThat(sentence(arabic, 1)).endsWith("بعد ثانية واحدة.");
        assertThat(sentence(arabic, 120)).endsWith("بعد دقيقتين.");
        assertThat(sentence(arabic, 5 * 60)).endsWith("دقائق.").doesNotContain("دقيقة");
        assertThat(sentence(arabic, 15 * 60)).endsWith("دقيقة.");
    }

    @Test
    void everyLimitHasItsSentence() {
        for (var limit : List.of(RateLimits.POST_COMMENT, RateLimits.REPORT, RateLimits.VOTE, RateLimits.SIGN_IN,
                RateLimits.SIGN_UP, RateLimits.PASSWORD_RESET, RateLimits.PASSWORD_RESET_PER_ADDRESS)) {
            HttpError refused = RateLimits.refusal(limit.refusalKey(), clock.instant(), clock.instant().plusSeconds(90));
            assertThat(refused.getMessage()).as(limit.name()).endsWith(" Try again in 2 minutes.");
            assertThat(refused.message(Locale.FRENCH)).as(limit.name()).endsWith(" Réessayez dans 2 minutes.");
        }
        assertThat(RateLimits.refusal(RateLimits.PASSWORD_RESET_PER_ADDRESS.refusalKey(), clock.instant(),
                clock.instant().plusSeconds(3000)).getMessage()).isEqualTo("A reset link was sent to this address"
                + " several times already; use the newest one, or wait an hour. Try again in 50 minutes.");
    }

    private void postTimes(int times, String subject) {
        for (int i = 0; i < times; i++) {
            limits.check(RateLimits.POST_COMMENT, subject);
        }
    }

    private String sentence(Locale language, long seconds) {
        return RateLimits.refusal(RateLimits.POST_COMMENT.refusalKey(), clock.instant(),
                clock.instant().plusSeconds(seconds)).message(language);
    }

    private HttpError refusal(RateLimits.Limit limit, String subject) {
        return catchThrowableOfType(HttpError.class, () -> limits.check(limit, subject));
    }
}
