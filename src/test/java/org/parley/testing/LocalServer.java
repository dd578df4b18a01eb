package org.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What every server process a test starts on loopback needs alike (memcached, redis-server): waiting until it
 * listens, signalling it by process id, waiting for it to end. {@code name} says which server in each message.
 */
final class LocalServer {
    private LocalServer() {
    }

    /** Waits until 127.0.0.1:{@code port} accepts connections; kills the process if it never does. */
    static void awaitListening(Process process, String name, int port, Duration timeout, String logHint) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " on port " + port + " exited at start with status "
                        + process.exitValue() + " (port taken?)" + logHint);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                sleepBriefly(name); // not listening yet
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " on port " + port + " did not accept connections within "
                + timeout.toSeconds() + " s");
    }

    /** {@code kill SIGNAL pid}: -STOP and -CONT to pause and resume, -TERM to stop. */
    static void signal(Process process, String name, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    /**
     * SIGSTOP, returning only once every thread of the process is stopped. The signal is delivered asynchronously:
     * a server busy on another CPU answered one more request after {@code kill -STOP} had returned (a CI run saw a
     * paused memcached serve a get).
     */
    static void pause(Process process, String name, Duration timeout) {
        signal(process, name, "-STOP");
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        if (!Files.isDirectory(tasks)) {
            return; // no procfs: nothing more to wait on
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allStopped(tasks)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") did not stop within "
                        + timeout.toSeconds() + " s of SIGSTOP");
            }
            sleepBriefly(name);
        }
    }

    private static boolean allStopped(Path tasks) {
        try (Stream<Path> each = Files.list(tasks)) {
            return each.allMatch(LocalServer::isStopped);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state field of /proc/PID/task/TID/stat follows the command name in parentheses: T is stopped. */
    private static boolean isStopped(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
        } catch (NoSuchFileException e) {
            return true; // the thread ended
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void awaitExit(Process process, String name, Duration timeout) {
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
        }
    }

    static void sleepBriefly(String name) {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }
}
