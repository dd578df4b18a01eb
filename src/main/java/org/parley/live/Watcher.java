package org.parley.live;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open stream's view of its thread: the newest version it has been told of, and a newer one waiting to be
 * sent. Versions only go forward, and a burst of writes is one event (the newest version), not one per write.
 */
final class Watcher {
    /** What {@link #next} returns once the hub closed: the stream ends. */
    static final long CLOSED = -1;

    private final long threadId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long sent;
    private long pending;
    private boolean closed;

    Watcher(long threadId, long seenVersion) {
        this.threadId = threadId;
        this.sent = seenVersion;
        this.pending = seenVersion;
    }

    long threadId() {
        return threadId;
    }

    /** The thread is at {@code version} now: wakes the stream if that is news to it. */
    void offer(long version) {
        lock.lock();
        try {
            if (version > pending) {
                pending = version;
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code wait} for a newer version.
     *
     * @return the newer version, 0 when none came (time for a heartbeat), or {@link #CLOSED}
     */
    long next(Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!closed && pending <= sent && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            if (closed) {
                return CLOSED;
            }
            if (pending > sent) {
                sent = pending;
                return sent;
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }
}
