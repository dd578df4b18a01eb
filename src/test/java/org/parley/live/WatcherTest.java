package org.parley.live;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** One stream's view of its thread: a burst is one event with the newest version, and versions only go forward. */
class WatcherTest {
    private static final Duration NONE = Duration.ofMillis(1);

    @Test
    void writesBetweenTwoLooksAreOneEventWithTheNewestVersion() throws InterruptedException {
        Watcher watcher = new Watcher(7, 10);
        watcher.offer(11);
        watcher.offer(12);
        watcher.offer(13);

        assertThat(watcher.next(NONE)).isEqualTo(13);
        assertThat(watcher.next(NONE)).as("nothing newer: a heartbeat is due").isZero();
    }

    @Test
    void aVersionTheStreamAlreadyHasIsNotNews() throws InterruptedException {
        Watcher watcher = new Watcher(7, 10);
        watcher.offer(10);
        watcher.offer(9);
        assertThat(watcher.next(NONE)).isZero();

        watcher.offer(12);
        watcher.offer(11);
        assertThat(watcher.next(NONE)).as("an older version read later does not go back").isEqualTo(12);
    }

    @Test
    void aWaitingStreamWakesOnNewsAndEndsOnClose() throws Exception {
        Watcher watcher = new Watcher(7, 10);
        Thread writer = Thread.ofVirtual().start(() -> watcher.offer(11));
        assertThat(watcher.next(Duration.ofSeconds(10))).isEqualTo(11);
        writer.join();

        Thread closer = Thread.ofVirtual().start(watcher::close);
        assertThat(watcher.next(Duration.ofSeconds(10))).isEqualTo(Watcher.CLOSED);
        closer.join();
    }
}
