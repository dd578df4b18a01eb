package org.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real target/parley.jar in its own JVM, as an operator runs it: its own working directory and environment,
 * output captured to files, stopped by process id (SIGTERM, then SIGKILL if it hangs).
 */
public final class JarProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JarProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static JarProcess start(Path workDir, Map<String, String> settings, String... args) {
        return start(workDir, settings, List.of(), args);
    }

    /** The same with more JVM options before {@code -jar} (an AOT cache, say). */
    public static JarProcess start(Path workDir, Map<String, String> settings, List<String> jvmOptions,
                                   String... args) {
        String jar = System.getProperty("parley.jar", "target/parley.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            var builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("PARLEY_"));
            builder.environment().putAll(settings);
            return new JarProcess(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command that is expected to end by itself, and waits for it. */
    public static JarProcess run(Path workDir, Map<String, String> settings, String... args) {
        JarProcess jar = start(workDir, settings, args);
        jar.waitForExit(Duration.ofSeconds(60));
        return jar;
    }

    /** Waits until stdout contains {@code text}; fails early if the process dies first. */
    public void awaitStdout(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stdout().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("parley.jar exited with " + process.exitValue() + " before printing '"
                        + text + "'\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            sleep(100);
        }
        throw new AssertionError("parley.jar did not print '" + text + "' within " + timeout + "\nstderr:\n" + stderr());
    }

    /** SIGTERM, as systemd or Ctrl-C would, and wait for the exit status. */
    public int terminate() {
        process.destroy();
        return waitForExit(Duration.ofSeconds(30));
    }

    /** SIGKILL, as a crash or the OOM killer: no shutdown hook runs. Waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
    }

    /** SIGINT, as Ctrl-C at a terminal; returns at once (see {@link #waitForExit}). */
    public void interrupt() {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -INT " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM without waiting: the caller watches what the process does meanwhile (a drain). */
    public void terminateAsync() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("parley.jar did not exit within " + timeout + "\nstderr:\n" + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int exitCode() {
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
