package org.parley.ops;

import org.parley.data.Databases;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Readiness: every configured PostgreSQL primary answers {@code SELECT 1}-equivalent within {@link #CHECK_TIMEOUT},
 * checked in parallel. The answer is reused for {@link #REUSE_FOR} so a balancer polling many instances (or a
 * burst of probes) costs each server at most one check per second.
 */
public final class Health {
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration REUSE_FOR = Duration.ofSeconds(1);

    /** What /readyz reports: ready, or the servers that failed and why. */
    public record Readiness(boolean ready, List<String> problems, long checkedAtNanos) {
    }

    private final Databases databases;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile Readiness last;

    public Health(Databases databases) {
        this.databases = databases;
    }

    public Readiness readiness() {
        // a lock, not synchronized: a virtual thread blocked in synchronized pins its carrier on Java 21
        checking.lock();
        try {
            Readiness cached = last;
            if (cached != null && System.nanoTime() - cached.checkedAtNanos() < REUSE_FOR.toNanos()) {
                return cached;
            }
            last = check();
            return last;
        } finally {
            checking.unlock();
        }
    }

    private Readiness check() {
        List<String> problems = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> checks = new ArrayList<>();
            // a replica that fails only sends its reads to the primary: it must not take every instance out of the balancer
            List<Databases.Server> primaries = databases.servers().stream()
                    .filter(s -> s.role() == Databases.Role.PRIMARY)
                    .toList();
            for (Databases.Server server : primaries) {
                checks.add(pool.submit(() -> ping(server)));
            }
            long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
            for (int i = 0; i < checks.size(); i++) {
                String label = primaries.get(i).label();
                try {
                    checks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    problems.add(label + ": no answer within " + CHECK_TIMEOUT.toMillis() + " ms");
                    checks.get(i).cancel(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    problems.add(label + ": check interrupted");
                } catch (java.util.concurrent.ExecutionException e) {
                    problems.add(label + ": " + rootMessage(e));
                }
            }
            pool.shutdownNow();
        }
        return new Readiness(problems.isEmpty(), List.copyOf(problems), System.nanoTime());
    }

    private static Void ping(Databases.Server server) throws Exception {
        try (Connection c = server.pool().getConnection()) {
            if (!c.isValid((int) CHECK_TIMEOUT.toSeconds())) {
                throw new IllegalStateException("connection is not valid");
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        return org.parley.config.StartupException.rootMessage(e);
    }
}
