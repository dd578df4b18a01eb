package org.parley.data;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HistoricalPartitionsTest {
    private static final Clock NOV_25_2026 = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void theCutoffIsTheStartOfTheOldestActiveMonth() {
        var historical = new HistoricalPartitions(12, Optional.empty(), NOV_25_2026);

        assertThat(historical.cutoff()).contains(Instant.parse("2025-11-01T00:00:00Z"));
        assertThat(historical.cutoffId()).isEqualTo(Ids.lowestAt(Instant.parse("2025-11-01T00:00:00Z")));
    }

    @Test
    void aCommentIsHistoricalExactlyWhenItsMonthIsOlderThanTheCutoff() {
        var historical = new HistoricalPartitions(12, Optional.empty(), NOV_25_2026);
        long lastOctober = Ids.lowestAt(Instant.parse("2025-10-31T23:59:59.999Z")) | (63L << Ids.SEQUENCE_BITS) | 1023;
        long firstNovember = Ids.lowestAt(Instant.parse("2025-11-01T00:00:00Z"));

        assertThat(historical.isHistorical(lastOctober)).isTrue();
        assertThat(historical.isHistorical(firstNovember)).isFalse();
        assertThat(historical.isHistorical(Ids.lowestAt(Instant.parse("2026-11-25T09:00:00Z")))).isFalse();
    }

    @Test
    void zeroMonthsMeansNothingIsEverHistorical() {
        var never = new HistoricalPartitions(0, Optional.of("archive"), NOV_25_2026);

        assertThat(never.cutoff()).isEmpty();
        assertThat(never.isHistorical(Ids.lowestAt(Instant.parse("2024-01-02T00:00:00Z")))).isFalse();
    }

    @Test
    void theUpperBoundIsReadFromPostgresqlsPartitionBound() {
        assertThat(HistoricalPartitions.upperBound("FOR VALUES FROM (MINVALUE) TO ('9000')")).contains(9000L);
        assertThat(HistoricalPartitions.upperBound("FOR VALUES FROM (100) TO (200)")).contains(200L);
        assertThat(HistoricalPartitions.upperBound("FOR VALUES FROM (100) TO (MAXVALUE)")).isEmpty();
    }
}
