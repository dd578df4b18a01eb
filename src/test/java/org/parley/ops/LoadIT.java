package org.parley.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.ops.drills.DrillFleet;
import org.parley.ops.drills.OpenLoop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
        OpenLoop.Result result;
        try (DrillFleet fleet = DrillFleet.start(dir)) {
            result = new OpenLoop(fleet, settings).run();
        }
        String table = OpenLoop.table(settings, result);
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
}
