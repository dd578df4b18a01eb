package org.parley.cache;

import org.junit.jupiter.api.Test;
import org.parley.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalCacheTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final CacheMetrics metrics = CacheMetrics.unregistered();
    private final LocalCache cache = new LocalCache(clock, 64 * 1024, metrics);

    @Test
    void aValueIsKeptForItsTtlAndThenGone() {
        cache.set("k", "välue", MINUTE);

        assertThat(cache.get("k")).hasValue("välue");
        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.get("k")).hasValue("välue");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("k")).isEmpty();
        assertThat(metrics.hits().getCount()).isEqualTo(2);
        assertThat(metrics.misses().getCount()).isEqualTo(1);
    }

    @Test
    void aTtlIsKeptInWholeSecondsRoundedUpAsMemcachedDoes() {
        cache.set("k", "v", Duration.ofMillis(1500));

        clock.advance(Duration.ofMillis(1999));
        assertThat(cache.get("k")).hasValue("v");
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get("k")).isEmpty();
    }

    @Test
    void raiseKeepsTheLargerNumberAndReplacesWhatIsNotANumber() {
        cache.raise("version", 7, MINUTE);
        cache.raise("version", 5, MINUTE);
        assertThat(cache.get("version")).hasValue("7");
        cache.raise("version", 8, MINUTE);
        assertThat(cache.get("version")).hasValue("8");
        cache.set("version", "garbage", MINUTE);
        cache.raise("version", 2, MINUTE);
        assertThat(cache.get("version")).hasValue("2");

        clock.advance(MINUTE);
        cache.raise("version", 1, MINUTE);
        assertThat(cache.get("version")).as("an expired number is no floor").hasValue("1");
    }

    @Test
    void addStoresOnlyWhenNothingLiveIsThere() {
        assertThat(cache.add("lease", "a", MINUTE)).isTrue();
        assertThat(cache.add("lease", "b", MINUTE)).isFalse();
        assertThat(cache.get("lease")).hasValue("a");

        clock.advance(MINUTE);
        assertThat(cache.add("lease", "c", MINUTE)).isTrue();
        assertThat(cache.get("lease")).hasValue("c");
    }

    @Test
    void incrCreatesAtOneAndKeepsTheFirstTtl() {
        assertThat(cache.incr("n", MINUTE)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        assertThat(cache.incr("n", MINUTE)).isEqualTo(2);
        assertThat(cache.get("n")).hasValue("2");
        clock.advance(Duration.ofSeconds(30));
        assertThat(cache.incr("n", MINUTE)).as("the window ran out 60 s after the first event").isEqualTo(1);
    }

    @Test
    void incrOfSomethingThatIsNotANumberDoesNotCount() {
        cache.set("n", "text", MINUTE);

        assertThat(cache.incr("n", MINUTE)).isEqualTo(Cache.NOT_COUNTED);
    }

    @Test
    void deleteForgetsAndGetMultiReturnsOnlyWhatIsThere() {
        cache.set("a", "1", MINUTE);
        cache.set("b", "2", MINUTE);
        cache.delete("a");

        assertThat(cache.getMulti(List.of("a", "b", "c"))).isEqualTo(Map.of("b", "2"));
    }

    @Test
    void aValueTooLargeForMemcachedIsNotKeptAndTakesTheOldOneWithIt() {
        LocalCache big = new LocalCache(clock, 16L * 1024 * 1024, metrics);
        big.set("k", "small", MINUTE);

        big.set("k", "x".repeat(Cache.MAX_VALUE_BYTES + 1), MINUTE);

        assertThat(big.get("k")).isEmpty();
    }

    @Test
    void itStaysWithinItsBoundAndDropsExpiredEntriesBeforeLiveOnes() {
        cache.set("old", "x".repeat(1000), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        cache.set("recent", "y".repeat(1000), Duration.ofHours(1));
        for (int i = 0; i < 10_000; i++) {
            cache.set("k" + i, "v".repeat(100), MINUTE);
            cache.get("recent"); // in use, so the least recently used go first
            assertThat(cache.bytes()).isLessThanOrEqualTo(64 * 1024);
        }
        assertThat(cache.get("recent")).isPresent();
        assertThat(cache.get("k9999")).isPresent();
        assertThat(cache.get("k0")).isEmpty();
    }
}
