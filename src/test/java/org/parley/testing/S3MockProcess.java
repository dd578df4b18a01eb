package org.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real S3-compatible server for tests: Adobe S3Mock (a Spring Boot application speaking the S3 REST API) in
 * its own JVM on a free loopback port, with one bucket created at start and its files in a temporary folder.
 * The build copies its jar to target/test-servers/s3mock.jar (maven-dependency-plugin). Stopped by process id.
 */
public final class S3MockProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final Path log;

    private S3MockProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "s3mock-" + port + "-cleanup"));
    }

    public static S3MockProcess start(Path workDir, String bucket) {
        Path jar = Path.of(System.getProperty("s3mock.jar", "target/test-servers/s3mock.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the ITs through 'mvn verify' (it copies S3Mock there)");
        }
        int port = FreePort.find();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString(),
                "--http.port=" + port,
                "--server.port=" + FreePort.find(), // its HTTPS port, unused here but bound
                "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket,
                "--com.adobe.testing.s3mock.store.root=" + workDir.resolve("s3-data").toAbsolutePath(),
                "--spring.main.banner-mode=off"));
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve("s3mock.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            var s3 = new S3MockProcess(process, port, log);
            s3.awaitBucket(bucket);
            return s3;
        } catch (IOException e) {
            throw new UncheckedIOException("S3Mock did not start", e);
        }
    }

    /** The endpoint PARLEY_S3_ENDPOINT names. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Path-style URL of an object: what a CDN in front of the bucket would fetch. */
    public String objectUrl(String bucket, String key) {
        return endpoint() + "/" + bucket + "/" + key;
    }

    private void awaitBucket(String bucket) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited at start with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> response = Http.get(endpoint() + "/" + bucket);
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Mock did not serve bucket " + bucket + " within " + READY_TIMEOUT + ":\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
