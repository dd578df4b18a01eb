package org.parley.data;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {
    @Test
    void anIdNamesItsShardTimeAndSequence() {
        Instant time = Instant.parse("2026-11-25T10:15:30.123Z");
        long id = Ids.lowestAt(time) | (4095L << Ids.SEQUENCE_BITS) | 1000;

        assertThat(Ids.shardOf(id)).isEqualTo(4095);
        assertThat(Ids.sequenceOf(id)).isEqualTo(1000);
        assertThat(Ids.createdAt(id)).isEqualTo(time);
    }

    /** PostgreSQL's bigint is signed: the time field's top bit is the sign, so IDs sort by time until then. */
    @Test
    void idsStayPositiveAndOrderedUntilNovember2058() {
        long lastPositive = Ids.lowestAt(Instant.parse("2058-11-03T00:00:00Z")) | ((1L << 23) - 1);
        long earlier = Ids.lowestAt(Instant.parse("2058-11-02T00:00:00Z"));
        assertThat(lastPositive).isPositive().isGreaterThan(earlier);
        assertThat(Ids.shardOf(lastPositive)).isEqualTo(8191);
        assertThat(Ids.lowestAt(Instant.parse("2058-11-04T00:00:00Z"))).isNegative();
    }
}
