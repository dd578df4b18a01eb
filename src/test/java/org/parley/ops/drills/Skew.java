package org.parley.ops.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A process environment whose clock is wrong: libfaketime preloaded with a fixed offset (Debian's libfaketime,
 * which scripts/install-deps test installs). Only the wall clock moves; the monotonic clock is left alone, because
 * the JVM times its sleeps, timeouts and GC with it and a shifted one would only add noise to the drill.
 */
final class Skew {
    private Skew() {
    }

    static Map<String, String> ahead(Duration offset) {
        return Map.of("LD_PRELOAD", library().toString(),
                "FAKETIME", "+" + offset.toSeconds() + "s",
                "FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }

    private static Path library() {
        try (Stream<Path> arches = Files.list(Path.of("/usr/lib"))) {
            return arches.map(arch -> arch.resolve("faketime/libfaketime.so.1")).filter(Files::isReadable).findFirst()
                    .orElseThrow(() -> new AssertionError("libfaketime is not installed (Debian package libfaketime;"
                            + " scripts/install-deps test installs it)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
