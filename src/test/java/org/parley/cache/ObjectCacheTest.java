package org.parley.cache;

import org.junit.jupiter.api.Test;
import org.parley.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectCacheTest {
    private record Person(long id, String name) {
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final LocalCache cache = new LocalCache(clock, CacheMetrics.unregistered());
    private final ObjectCache<Person> people = new ObjectCache<>(cache, "person", 3, Duration.ofSeconds(60),
            p -> TextRecord.of(p.id(), p.name()),
            text -> new Person(Long.parseLong(TextRecord.parse(text, 2).get(0)), TextRecord.parse(text, 2).get(1)));
    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void aFoundRecordIsLoadedOnceThenServedFromTheCacheUntilItsTtl() {
        assertThat(people.get(7L, () -> load(7, "Ann"))).hasValue(new Person(7, "Ann"));
        assertThat(people.get(7L, () -> load(7, "Ann"))).hasValue(new Person(7, "Ann"));
        assertThat(loads).hasValue(1);

        clock.advance(Duration.ofSeconds(60));
        people.get(7L, () -> load(7, "Ann"));
        assertThat(loads).hasValue(2);
    }

    @Test
    void invalidateMakesTheNextReadLoadTheChangedRow() {
        people.get(7L, () -> load(7, "Ann"));
        people.invalidate(7L);

        assertThat(people.get(7L, () -> load(7, "Anne"))).hasValue(new Person(7, "Anne"));
    }

    @Test
    void absenceIsNotCached() {
        assertThat(people.get(8L, Optional::empty)).isEmpty();
        assertThat(people.get(8L, () -> load(8, "Bo"))).hasValue(new Person(8, "Bo"));
    }

    @Test
    void whileTheDatabaseIsUnreachableAnExpiredRecordIsServedAsLastKnown() {
        people.get(7L, () -> load(7, "Ann"));
        clock.advance(Duration.ofSeconds(61)); // the fresh entry expired during the outage

        assertThat(people.get(7L, ObjectCacheTest::unreachable)).hasValue(new Person(7, "Ann"));
    }

    @Test
    void otherFailuresAndUnknownRecordsStillFail() {
        people.get(7L, () -> load(7, "Ann"));
        clock.advance(Duration.ofSeconds(61));

        assertThatThrownBy(() -> people.get(7L, () -> {
            throw new IllegalStateException("a bug");
        })).hasMessage("a bug");
        assertThatThrownBy(() -> people.get(9L, ObjectCacheTest::unreachable)).hasRootCauseInstanceOf(
                org.parley.data.DatabaseUnavailable.class);
    }

    @Test
    void anInvalidatedRecordHasNoLastKnownCopy() {
        people.get(7L, () -> load(7, "Ann"));
        people.invalidate(7L);

        assertThatThrownBy(() -> people.get(7L, ObjectCacheTest::unreachable)).isInstanceOf(
                org.jooq.exception.DataAccessException.class);
    }

    /** What jOOQ throws when the pool's circuit is open. */
    private static Optional<Person> unreachable() {
        throw new org.jooq.exception.DataAccessException("Error getting connection from data source",
                new org.parley.data.DatabaseUnavailable(org.parley.data.DatabaseUnavailable.Kind.UNREACHABLE,
                        "main primary unreachable since …", null));
    }

    @Test
    void theFormatVersionIsPartOfTheKey() {
        assertThat(people.key(7L)).isEqualTo("p1:person:v3:7");
    }

    @Test
    void anUnreadableValueIsReplacedFromTheDatabase() {
        cache.set(people.key(7L), "garbage", Duration.ofSeconds(60));

        assertThat(people.get(7L, () -> load(7, "Ann"))).hasValue(new Person(7, "Ann"));
        assertThat(cache.get(people.key(7L))).hasValue(TextRecord.of(7L, "Ann"));
    }

    private Optional<Person> load(long id, String name) {
        loads.incrementAndGet();
        return Optional.of(new Person(id, name));
    }
}
