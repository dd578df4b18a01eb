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

    @Test
    void anImportedRowSinceTheEpochGetsTheIdOfItsOwnTime() {
        Instant time = Instant.parse("2025-03-04T05:06:07.089Z");
        long id = Ids.at(time, 17, 5);

        assertThat(Ids.createdAt(id)).isEqualTo(time);
        assertThat(Ids.shardOf(id)).isEqualTo(17);
        assertThat(Ids.sequenceOf(id)).isEqualTo(5);
    }

    /** A Disqus comment from 2011 must sort before one from 2012 and before anything Parley made. */
    @Test
    void olderRowsAreSqueezedIntoTheEpochsFirstDayInTheirOrder() {
        long y2007 = Ids.at(Instant.parse("2007-06-01T00:00:00Z"), 3, 0);
        long y2011 = Ids.at(Instant.parse("2011-03-08T09:00:00Z"), 3, 0);
        long y2011later = Ids.at(Instant.parse("2011-03-08T09:01:00Z"), 3, 0);
        long y2023 = Ids.at(Instant.parse("2023-12-31T23:59:59Z"), 3, 0);
        long madeNow = Ids.lowestAt(Instant.parse("2026-12-03T00:00:00Z"));

        assertThat(y2007).isPositive().isLessThan(y2011);
        assertThat(y2011).isLessThan(y2011later).isLessThan(y2023);
        assertThat(y2023).isLessThan(Ids.lowestAt(Ids.EPOCH.plusSeconds(86_400))).isLessThan(madeNow);
        assertThat(Ids.shardOf(y2011)).isEqualTo(3);
        assertThat(Ids.at(Instant.parse("1980-01-01T00:00:00Z"), 0, 0)).isEqualTo(0); // before 1995: the first
    }
}
