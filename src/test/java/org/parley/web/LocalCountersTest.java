package org.parley.web;

import org.junit.jupiter.api.Test;
import org.parley.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LocalCountersTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final LocalCounters counters = new LocalCounters(clock, 100);

    @Test
    void aCounterCountsWithinItsWindowAndStartsAgainAfterIt() {
        assertThat(counters.increment("k", MINUTE)).isEqualTo(new CounterStore.Count(1, START.plus(MINUTE)));
        clock.advance(Duration.ofSeconds(59));
        assertThat(counters.increment("k", MINUTE)).isEqualTo(new CounterStore.Count(2, START.plus(MINUTE)));
        clock.advance(Duration.ofSeconds(1));
        assertThat(counters.increment("k", MINUTE).value()).isEqualTo(1);
    }

    @Test
    void peekDoesNotCountAndSeesNoExpiredCounter() {
        counters.increment("k", MINUTE);

        assertThat(counters.peek("k")).hasValue(new CounterStore.Count(1, START.plus(MINUTE)));
        assertThat(counters.peek("k")).hasValue(new CounterStore.Count(1, START.plus(MINUTE)));
        assertThat(counters.peek("other")).isEmpty();
        clock.advance(MINUTE);
        assertThat(counters.peek("k")).isEmpty();
    }

    @Test
    void resetForgetsACounter() {
        counters.increment("k", MINUTE);
        counters.increment("k", MINUTE);

        counters.reset("k");

        assertThat(counters.peek("k")).isEmpty();
        assertThat(counters.increment("k", MINUTE).value()).isEqualTo(1);
    }

    @Test
    void aFloodOfDistinctSubjectsCannotGrowItPastItsBound() {
        for (int i = 0; i < 10_000; i++) {
            counters.increment("ip:" + i, MINUTE);
            assertThat(counters.size()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void atTheBoundExpiredCountersGoFirst() {
        for (int i = 0; i < 100; i++) {
            counters.increment("old:" + i, MINUTE);
        }
        clock.advance(MINUTE);

        for (int i = 0; i < 100; i++) {
            counters.increment("new:" + i, MINUTE);
        }

        for (int i = 0; i < 100; i++) {
            assertThat(counters.peek("new:" + i)).as("new:" + i).isPresent();
        }
        assertThat(counters.size()).isEqualTo(100);
    }

    @Test
    void keysHideTheSubjectAndFitMemcached() {
        String key = CounterStore.key("rate:comment:60", "ann@example.org");

        assertThat(key).matches("rate:comment:60:[0-9a-f]{16}");
        assertThat(CounterStore.key("rate:comment:60", "bob@example.org")).isNotEqualTo(key);
    }
}
