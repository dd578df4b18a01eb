package org.parley.cache;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class OutagesTest {
    private final AtomicLong now = new AtomicLong();
    private final Outages outages = new Outages(LoggerFactory.getLogger(OutagesTest.class), "Memcached [test]", now::get);

    @Test
    void anOccasionalTimeoutAmongSuccessesIsAMissNotAnOutage() {
        for (int i = 0; i < 100; i++) {
            // a loaded host: every third call misses its deadline, the others are answered
            assertThat(outages.failed("get", new TimeoutException("Timed out(250 milliseconds)"))).isFalse();
            assertThat(outages.succeeded()).isFalse();
            assertThat(outages.failed("get", new TimeoutException("Timed out(250 milliseconds)"))).isFalse();
            assertThat(outages.succeeded()).isFalse();
        }
        assertThat(outages.failing()).as("never treated as down").isFalse();
        assertThat(outages.allow()).isTrue();
    }

    @Test
    void severalFailuresInARowAreOneEpisodeDuringWhichCallsSkipTheCacheButForAProbe() {
        assertThat(outages.failed("get", new IOException("refused"))).isFalse();
        assertThat(outages.failed("get", new IOException("refused"))).isFalse();
        assertThat(outages.failed("get", new IOException("refused"))).as("the third in a row trips").isTrue();
        assertThat(outages.failing()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(outages.allow()).as("no call waits for a cache known to be down").isFalse();
        }

        now.addAndGet(Outages.PROBE_INTERVAL.toNanos());
        assertThat(outages.allow()).as("one probe per interval").isTrue();
        assertThat(outages.allow()).isFalse();
        assertThat(outages.failed("get", new IOException("still refused"))).as("one episode, one warning").isFalse();

        now.addAndGet(Outages.PROBE_INTERVAL.toNanos());
        assertThat(outages.allow()).isTrue();
        assertThat(outages.succeeded()).as("recovery is logged once").isTrue();
        assertThat(outages.succeeded()).isFalse();
        assertThat(outages.failing()).isFalse();
        assertThat(outages.allow()).isTrue();
    }

    @Test
    void afterRecoveryItTakesSeveralFailuresInARowAgain() {
        for (int i = 0; i < Outages.FAILURES_TO_TRIP; i++) {
            outages.failed("get", new IOException("down"));
        }
        outages.succeeded();

        assertThat(outages.failed("set", new IOException("one slow answer"))).isFalse();
        assertThat(outages.failing()).isFalse();
    }
}
