package org.parley.live;

import com.codahale.metrics.MetricRegistry;
import org.parley.discussion.ThreadVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance's open live streams, by thread, and the one poller that feeds them: every {@link #POLL} it asks the
 * shared cache for the versions of the threads watched here (one multi-get, however many watchers) and wakes the
 * streams of those that moved. Writes on any instance raise those versions already (ThreadVersions), so watching
 * costs no SQL and nothing on the write path. At most {@code maxConnections} streams at once; beyond, a reader is
 * told to poll instead.
 */
public final class LiveThreads implements AutoCloseable {
    /** How often the watched versions are read: a change reaches readers within this plus their fetch. */
    public static final Duration POLL = Duration.ofMillis(500);
    public static final String CONNECTIONS = "parley.live.connections";
    private static final Logger log = LoggerFactory.getLogger(LiveThreads.class);

    private final ThreadVersions versions;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Long, Set<Watcher>> byThread = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("live-poller").factory());
    private volatile boolean closed;
    private volatile boolean failing;

    public LiveThreads(ThreadVersions versions, int maxConnections, MetricRegistry metrics) {
        this.versions = versions;
        this.maxConnections = maxConnections;
        metrics.gauge(CONNECTIONS, () -> open::get);
    }

    public LiveThreads start() {
        poller.scheduleWithFixedDelay(this::pollLogged, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** A stream for a thread whose page showed {@code seenVersion}; empty when this instance has no room. */
    Optional<Watcher> join(long threadId, long seenVersion) {
        if (closed || open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return Optional.empty();
        }
        Watcher watcher = new Watcher(threadId, seenVersion);
        byThread.computeIfAbsent(threadId, id -> ConcurrentHashMap.newKeySet()).add(watcher);
        return Optional.of(watcher);
    }

    void leave(Watcher watcher) {
        byThread.computeIfPresent(watcher.threadId(), (id, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
        open.decrementAndGet();
    }

    /** Streams open now on one thread. */
    int watchers(long threadId) {
        Set<Watcher> set = byThread.get(threadId);
        return set == null ? 0 : set.size();
    }

    /** Streams open now. */
    public int connections() {
        return open.get();
    }

    /** One look at the watched threads' versions; the poller calls it every {@link #POLL}. */
    void pollOnce() {
        if (byThread.isEmpty()) {
            return;
        }
        versions.versions(Set.copyOf(byThread.keySet())).forEach((threadId, version) -> {
            Set<Watcher> watchers = byThread.get(threadId);
            if (watchers != null) {
                watchers.forEach(w -> w.offer(version));
            }
        });
    }

    private void pollLogged() {
        try {
            pollOnce();
            failing = false;
        } catch (RuntimeException e) {
            // the cache is away: streams stay open with their heartbeats and hear of changes once it is back
            if (!failing) {
                log.warn("Live updates paused until the cache answers: {}", e.getMessage());
            }
            failing = true;
        }
    }

    /** Ends every stream (their readers reconnect, to another instance when this one is stopping). */
    @Override
    public void close() {
        closed = true;
        poller.shutdownNow();
        byThread.values().forEach(set -> set.forEach(Watcher::close));
    }
}
