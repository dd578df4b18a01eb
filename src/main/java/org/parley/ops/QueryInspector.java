package org.parley.ops;

import org.parley.data.QueryStats;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The query inspector's memory: the last {@link #KEPT} sampled requests of this instance, each with every SQL
 * statement it ran (text with bind values as {@code ?} and quoted literals masked), where it ran (schema and
 * role), how long it took, and the request's cache hits and misses. What Django Debug Toolbar shows a developer,
 * for administrators in production: an N+1 shows as one statement text repeated many times.
 */
public final class QueryInspector {
    public static final int KEPT = 200;
    /** A statement text seen this often in one request is flagged as a likely N+1. */
    public static final int REPEATED = 3;
    private static final Pattern STRING_LITERAL = Pattern.compile("'(?:[^']|'')*'");

    /** One statement as shown: {@code schema} is s0003 or main, {@code role} primary or replica. */
    public record Statement(String sql, String schema, String role, double millis) {
    }

    /** One sampled request. */
    public record Sample(long id, String requestId, Instant at, String method, String route, String path, int status,
                         double millis, long sqlCount, double sqlMillis, long cacheHits, long cacheMisses,
                         List<Statement> statements) {
        /** Statement texts that ran {@link #REPEATED} times or more, with their counts, most repeated first. */
        public Map<String, Long> repeated() {
            Map<String, Long> counts = new LinkedHashMap<>();
            statements.forEach(s -> counts.merge(s.sql(), 1L, Long::sum));
            Map<String, Long> repeated = new LinkedHashMap<>();
            counts.entrySet().stream()
                    .filter(e -> e.getValue() >= REPEATED)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> repeated.put(e.getKey(), e.getValue()));
            return repeated;
        }

        /** Statements beyond what was kept ({@link QueryStats#MAX_CAPTURED}). */
        public long notKept() {
            return sqlCount - statements.size();
        }
    }

    private final AtomicLong ids = new AtomicLong();
    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Keeps a finished request's statements (its {@link QueryStats} was told to capture them). */
    public Sample keep(String requestId, Instant at, String method, String route, String path, int status,
                       double millis, QueryStats stats) {
        List<Statement> statements = stats.statements().stream()
                .map(s -> {
                    int slash = s.target().indexOf('/');
                    return new Statement(mask(s.sql()), slash < 0 ? s.target() : s.target().substring(0, slash),
                            slash < 0 ? "primary" : s.target().substring(slash + 1), s.nanos() / 1_000_000.0);
                })
                .toList();
        Sample sample = new Sample(ids.incrementAndGet(), requestId, at, method, route, path, status, millis,
                stats.count(), stats.millis(), stats.cacheHits(), stats.cacheMisses(), statements);
        synchronized (samples) {
            samples.addFirst(sample);
            while (samples.size() > KEPT) {
                samples.removeLast();
            }
        }
        return sample;
    }

    /** Newest first. */
    public List<Sample> list() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    public Optional<Sample> byId(long id) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.id() == id).findFirst();
        }
    }

    /** Quoted literals could hold what a visitor typed; bind values are already {@code ?}. */
    static String mask(String sql) {
        return STRING_LITERAL.matcher(sql).replaceAll("'…'");
    }
}
