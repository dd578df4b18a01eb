package org.parley.web;

import com.aayushatharva.brotli4j.encoder.Encoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A Parley JVM that is killed after loading Brotli leaves nothing in its temporary directory. */
class BrotliLibraryTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void aKilledJvmLeavesNoCopyOfTheLibraryBehind(@TempDir Path tmp, @TempDir Path out) throws Exception {
        Path output = out.resolve("child.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), KilledAfterCompressing.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }

        assertThat(exited).as("the child JVM exited").isTrue();
        assertThat(Files.readString(output)).as("the child compressed with Brotli").contains("compressed 10000 bytes");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("what the killed JVM left in java.io.tmpdir").isEmpty();
        }
    }

    /** Loads Brotli as Parley does, compresses, and halts without shutdown hooks, as a SIGKILL would. */
    static final class KilledAfterCompressing {
        public static void main(String[] args) throws Exception {
            if (!Compression.brotliAvailable()) {
                System.out.println("brotli did not load");
                Runtime.getRuntime().halt(2);
            }
            byte[] compressed = Encoder.compress("x".repeat(10_000).getBytes(StandardCharsets.US_ASCII));
            System.out.println("compressed 10000 bytes to " + compressed.length);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
