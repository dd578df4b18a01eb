package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.parley.cache.CacheMetrics;
import org.parley.cache.LocalCache;
import org.parley.testing.MutableClock;

import java.time.Instant;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cached version of a thread only moves forward: whoever tells the cache last — a writer whose transaction
 * committed first, or a page view that read the row before a write — cannot turn it back, or the stored page of
 * the older version (without the newer comment) would be served, and confirmed by 304s, as current.
 */
class ThreadVersionsTest {
    private static final long ID = 773_071_393_431_486_465L;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final ThreadVersions versions = new ThreadVersions(new LocalCache(clock, CacheMetrics.unregistered()));

    @Test
    void twoWritersFinishingInEitherOrderLeaveTheNewerVersion() {
        versions.seen("default", thread(5));
        versions.written(ID, 7);
        versions.written(ID, 6); // committed before 7, told the cache after

        assertThat(versions.current("default", "k")).hasValue(new ThreadVersions.Known(ID, 7));
    }

    @Test
    void aPageThatReadTheRowBeforeAWriteDoesNotUndoIt() {
        versions.seen("default", thread(8));
        versions.written(ID, 9);
        versions.seen("default", thread(8));

        assertThat(versions.current("default", "k")).hasValue(new ThreadVersions.Known(ID, 9));
    }

    @Test
    void aViewOfANewerRowMovesItForward() {
        versions.written(ID, 3);
        versions.seen("default", thread(4));

        assertThat(versions.current("default", "k")).hasValue(new ThreadVersions.Known(ID, 4));
    }

    @Test
    void aRowBehindTheCachedVersionIsToldSoTheEdgeDoesNotKeepItsPage() {
        assertThat(versions.seen("default", thread(4))).as("nothing cached yet").isTrue();
        versions.written(ID, 6); // the write the replica has not replayed yet

        assertThat(versions.seen("default", thread(5))).isFalse();
        assertThat(versions.seen("default", thread(6))).isTrue();
        assertThat(versions.seen("default", thread(7))).isTrue();
    }

    private static CommentThread thread(long version) {
        return new CommentThread(ID, 1, "k", "https://example.com/k", "K", 0, OffsetDateTime.now(), false, false,
                version);
    }
}
