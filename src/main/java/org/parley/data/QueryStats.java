package org.parley.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * SQL statements run for one request, in total and per target ("s0003/primary", "main/primary"). The request
 * filter opens one per request; the jOOQ listener adds to it. Thread-safe, so work fanned out to other threads
 * (scatter-gather over shards) can add to the request that started it.
 */
public final class QueryStats {
    private static final ThreadLocal<QueryStats> CURRENT = new ThreadLocal<>();

    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final Map<String, LongAdder> perTarget = new ConcurrentHashMap<>();

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

    void record(String target, long elapsedNanos) {
        count.increment();
        nanos.add(elapsedNanos);
        perTarget.computeIfAbsent(target, t -> new LongAdder()).increment();
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
}
