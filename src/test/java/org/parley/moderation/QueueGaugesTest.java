package org.parley.moderation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet's queue reading adds up the clusters' readings: a cluster with nothing pending (no oldest comment) must
 * not break the sum, whichever side it is on. It did: the gauges stopped refreshing on a fleet of two primaries
 * whenever one had no pending comment.
 */
class QueueGaugesTest {
    @Test
    void clustersWithNothingPendingAddUp() {
        var none = new QueueGauges.Reading(0, null);
        assertThat(none.plus(none)).isEqualTo(none);
        assertThat(none.plus(new QueueGauges.Reading(2, 7L))).isEqualTo(new QueueGauges.Reading(2, 7L));
        assertThat(new QueueGauges.Reading(1, 5L).plus(none)).isEqualTo(new QueueGauges.Reading(1, 5L));
        assertThat(new QueueGauges.Reading(1, 5L).plus(new QueueGauges.Reading(1, 3L)))
                .isEqualTo(new QueueGauges.Reading(2, 3L));
    }
}
