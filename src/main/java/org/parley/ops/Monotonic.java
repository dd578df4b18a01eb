package org.parley.ops;

import com.codahale.metrics.Gauge;

/**
 * A gauge that reads a count which only grows (GC runs, GC time from the JVM): exported as a Prometheus counter
 * so {@code rate()} is the right function for it.
 */
@FunctionalInterface
public interface Monotonic extends Gauge<Number> {
}
