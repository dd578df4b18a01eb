package org.parley.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Dropwizard timer that also keeps the total time, so Prometheus gets a {@code _sum} beside {@code _count}:
 * mean latency and "seconds of SQL per second" are then {@code rate(_sum) / rate(_count)}, which, unlike
 * quantiles, adds up across instances. Record with {@link #update(long, TimeUnit)} or {@link #update(Duration)}.
 */
public final class TotalTimer extends Timer {
    private final LongAdder totalNanos = new LongAdder();

    /** The timer named {@code name} in {@code registry}, created as a TotalTimer on first use. */
    public static Timer in(MetricRegistry registry, String name) {
        return registry.timer(name, TotalTimer::new);
    }

    @Override
    public void update(long duration, TimeUnit unit) {
        super.update(duration, unit);
        if (duration >= 0) {
            totalNanos.add(unit.toNanos(duration));
        }
    }

    @Override
    public void update(Duration duration) {
        update(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    public double totalSeconds() {
        return totalNanos.sum() / 1e9;
    }
}
