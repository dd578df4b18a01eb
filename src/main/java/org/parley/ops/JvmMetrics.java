package org.parley.ops;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.parley.metrics.MetricNames;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * The JVM's own numbers, read from its management beans at scrape time: heap and non-heap memory, each garbage
 * collector's runs and time, live threads. A dozen gauges; not worth a library.
 */
public final class JvmMetrics {
    private JvmMetrics() {
    }

    public static void register(MetricRegistry registry) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memoryArea(registry, "heap", memory::getHeapMemoryUsage);
        memoryArea(registry, "nonheap", memory::getNonHeapMemoryUsage);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName().replaceAll("[^A-Za-z0-9]+", "_");
            registry.register(MetricNames.tagged("jvm.gc.collections", "gc", name),
                    (Monotonic) () -> Math.max(0, gc.getCollectionCount()));
            registry.register(MetricNames.tagged("jvm.gc.pause_seconds", "gc", name),
                    (Monotonic) () -> Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        registry.register("jvm.threads.live", (Gauge<Integer>) threads::getThreadCount);
        registry.register("jvm.threads.daemon", (Gauge<Integer>) threads::getDaemonThreadCount);
        registry.register("jvm.uptime_seconds", (Gauge<Double>) () ->
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }

    private static void memoryArea(MetricRegistry registry, String area, Supplier<MemoryUsage> usage) {
        registry.register(MetricNames.tagged("jvm.memory.used_bytes", "area", area),
                (Gauge<Long>) () -> usage.get().getUsed());
        registry.register(MetricNames.tagged("jvm.memory.committed_bytes", "area", area),
                (Gauge<Long>) () -> usage.get().getCommitted());
        registry.register(MetricNames.tagged("jvm.memory.max_bytes", "area", area),
                (Gauge<Long>) () -> usage.get().getMax());
    }
}
