package org.parley.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * SQL statements run for one request, in total and per target ("s0003/primary", "main/primary"), and the cache
 * lookups it made. The request filter opens one per request; the jOOQ listener and the cache add to it.
 * Thread-safe, so work fanned out to other threads (scatter-gather over shards) can add to the request that
 * started it. When the query inspector samples a request it also keeps each statement's text and time.
 */
public final class QueryStats {
    /** Beyond this many statements a sampled request keeps counting but stops keeping texts. */
    public static final int MAX_CAPTURED = 500;
    private static final ThreadLocal<QueryStats> CURRENT = new ThreadLocal<>();

    /** One statement of a sampled request: its SQL (bind values as ?), where it ran, how long it took. */
    public record Statement(String sql, String target, long nanos) {
    }

    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final Map<String, LongAdder> perTarget = new ConcurrentHashMap<>();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheReads = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private volatile List<Statement> captured;

    /** Starts counting for the current thread's request. */
    public static QueryStats begin() {
        QueryStats stats = new QueryStats();
        CURRENT.set(stats);
        return stats;
    }

    public static void end() {
        CURRENT.remove();
    }

    /** The current request's stats, or null outside a request (start-up, background jobs). */
    public static QueryStats current() {
        return CURRENT.get();
    }

    /** Makes {@code stats} current on this thread: for tasks that run on behalf of a request. */
    public static void adopt(QueryStats stats) {
        CURRENT.set(stats);
    }

    /** From now on keep each statement's text too (the query inspector sampled this request). */
    public void capture() {
        if (captured == null) {
            captured = new ArrayList<>();
        }
    }

    boolean capturing() {
        return captured != null;
    }

    void record(String target, long elapsedNanos, String sql) {
        count.increment();
        nanos.add(elapsedNanos);
        perTarget.computeIfAbsent(target, t -> new LongAdder()).increment();
        List<Statement> list = captured;
        if (list != null && sql != null) {
            synchronized (list) {
                if (list.size() < MAX_CAPTURED) {
                    list.add(new Statement(sql, target, elapsedNanos));
                }
            }
        }
    }

    /**
     * A cache lookup made for this request: one read (a round trip to Memcached or Redis) of one key or several,
     * each key counted as a hit or a miss.
     */
    public void cacheLookups(int hits, int misses) {
        cacheReads.increment();
        cacheHits.add(hits);
        cacheMisses.add(misses);
    }

    /** Reads of the cache for this request: round trips, however many keys each asked for. */
    public long cacheReads() {
        return cacheReads.sum();
    }

    public long count() {
        return count.sum();
    }

    public double millis() {
        return nanos.sum() / 1_000_000.0;
    }

    public Map<String, Long> perTarget() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        perTarget.forEach((target, n) -> copy.put(target, n.sum()));
        return copy;
    }

    public long cacheHits() {
        return cacheHits.sum();
    }

    public long cacheMisses() {
        return cacheMisses.sum();
    }

    /** The statements kept since {@link #capture()}, in the order they finished; empty when not capturing. */
    public List<Statement> statements() {
        List<Statement> list = captured;
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }
}
