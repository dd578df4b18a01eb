package org.parley.cache;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class OutagesTest {
    private final AtomicLong now = new AtomicLong();
    private final Outages outages = new Outages(LoggerFactory.getLogger(OutagesTest.class), "Memcached [test]", now::get);

    @Test
    void manyFailuresAreOneEpisodeThatEndsOnceCallsSucceedForAWhile() {
        assertThat(outages.failed("get", new IOException("refused"))).as("first failure warns").isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(outages.failed("get", new IOException("refused"))).isFalse();
        }
        assertThat(outages.succeeded()).as("too soon after the last failure").isFalse();
        assertThat(outages.failing()).isTrue();

        now.addAndGet(Outages.QUIET.toNanos());
        assertThat(outages.succeeded()).as("recovery is logged once").isTrue();
        assertThat(outages.succeeded()).isFalse();
        assertThat(outages.failing()).isFalse();
    }

    @Test
    void successesInterleavedWithFailuresDoNotEndAnEpisode() {
        outages.failed("get", new IOException("one node of two is down"));
        for (int i = 0; i < 10; i++) {
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            assertThat(outages.succeeded()).isFalse();
            assertThat(outages.failed("get", new IOException("still down"))).isFalse();
        }
        assertThat(outages.failing()).isTrue();
    }

    @Test
    void aFailureAfterRecoveryStartsANewEpisode() {
        outages.failed("get", new IOException("down"));
        now.addAndGet(Outages.QUIET.toNanos());
        outages.succeeded();

        assertThat(outages.failed("set", new IOException("down again"))).isTrue();
    }
}
