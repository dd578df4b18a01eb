package org.parley.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.ops.drills.DrillFleet;
import org.parley.ops.drills.OpenLoop;
import org.parley.testing.JarProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's load target as a reproducible run: bench/load runs this with the target's rates (300 GET/s and 10
 * POST/s for 120 s) and prints the table; the test suite runs it short and gentle (load.* system properties:
 * load.gets, load.posts per second, load.seconds), so the generator and its checks are exercised on every build.
 * Whatever the rates, every answer is a page or a redirect and every acknowledged comment is stored once.
 */
class LoadIT {
    @Test
    void everyRequestIsAnsweredAndEveryAcknowledgedCommentStoredOnce(@TempDir Path dir) throws Exception {
        var settings = new OpenLoop.Settings(Integer.getInteger("load.gets", 40), Integer.getInteger("load.posts", 4),
                Duration.ofSeconds(Integer.getInteger("load.seconds", 10)),
                Duration.ofSeconds(Integer.getInteger("load.warmup", 0)));
        List<String> jvmOptions = Boolean.getBoolean("load.aotCache") ? aotCache(dir) : List.of();
        List<String> restarts = new CopyOnWriteArrayList<>();
        OpenLoop.Result result;
        try (DrillFleet fleet = DrillFleet.start(dir, jvmOptions)) {
            result = new OpenLoop(fleet, settings).run(Boolean.getBoolean("load.rollingRestart")
                    ? () -> rollingRestart(fleet, settings.duration(), restarts) : () -> null);
        }
        String table = OpenLoop.table(settings, result)
                + (jvmOptions.isEmpty() ? "" : "\nboth instances started with an AOT cache made by `parley aot-cache"
                        + " --seconds 30` from this jar (-XX:AOTMode=on)\n")
                + restarts.stream().map(line -> "\n" + line + "\n").collect(Collectors.joining());
        System.out.println("[load] table\n" + table);
        Path out = Path.of("target", "load.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);

        assertThat(result.lines()).allSatisfy(line -> {
            assertThat(line.errors()).as(line.kind() + " answers other than 2xx/3xx").isZero();
            assertThat(line.ok()).as(line.kind() + " answered").isPositive();
        });
        assertThat(result.acknowledged()).isPositive();
        assertThat(result.lost()).as("acknowledged comments lost").isZero();
        assertThat(result.duplicated()).as("comments stored twice").isZero();
    }

    /**
     * bench/load --rolling-restart: a deploy during the measured run, as an operator does one behind HAProxy: at a
     * quarter of the run the first instance is stopped (SIGTERM: it drains) and started again, and once it is back
     * in rotation, at half the run at the earliest, the second. The windows' p99s show what visitors felt.
     */
    private static Void rollingRestart(DrillFleet fleet, Duration run, List<String> restarts)
            throws InterruptedException {
        long start = System.nanoTime();
        for (int instance = 0; instance < 2; instance++) {
            long due = start + run.toNanos() * (instance + 1) / 4;
            Thread.sleep(Duration.ofNanos(Math.max(0, due - System.nanoTime())));
            long from = System.nanoTime();
            fleet.restart(instance, 1);
            restarts.add(String.format(Locale.ROOT, "instance %d restarted (SIGTERM, drain, start, back in HAProxy's"
                    + " rotation) from %.1f to %.1f s of the run", instance + 1, (from - start) / 1e9,
                    (System.nanoTime() - start) / 1e9));
        }
        return null;
    }

    /**
     * bench/load --aot-cache: an AOT cache made by {@code parley aot-cache} from the jar under test, for fresh
     * instances as an operator would start them (docs/operations.md); {@code AOTMode=on}, so an instance that
     * cannot use it fails to start instead of running without.
     */
    private static List<String> aotCache(Path dir) {
        Path cache = dir.resolve("parley.aot");
        try (JarProcess training = JarProcess.start(dir.resolve("aot-training"), Map.of(), "aot-cache", "--out",
                cache.toString(), "--seconds", "30")) {
            training.waitForExit(Duration.ofMinutes(3));
            assertThat(training.exitCode()).as("parley aot-cache: " + training.stderr()).isZero();
        }
        System.out.println("[load] AOT cache made: " + cache);
        return List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on");
    }
}
