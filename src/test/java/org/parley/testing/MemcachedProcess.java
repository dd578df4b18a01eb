package org.parley.testing;

import org.parley.cache.CacheNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real memcached for tests ({@code memcached -p PORT -l 127.0.0.1 -U 0 -m 64}) on a free port. It can be
 * stopped politely, killed with SIGKILL (as a crash or an OOM kill), and started again on the same port, so
 * tests can watch a client lose the server and find it again. Stopped only by its own process id.
 */
public final class MemcachedProcess implements AutoCloseable {
    private static final String BINARY = "/usr/bin/memcached";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final int MEMORY_MB = 64;

    private final int port;
    private Process process;

    private MemcachedProcess(int port) {
        this.port = port;
        // a test JVM that dies without @AfterEach must not leave memcached behind; only this process is stopped
        Runtime.getRuntime().addShutdownHook(new Thread(this::killIfAlive, "memcached-" + port + "-cleanup"));
    }

    /** Starts memcached on a free port and returns once it accepts connections. */
    public static MemcachedProcess start() {
        var memcached = new MemcachedProcess(FreePort.find());
        memcached.startAgain();
        return memcached;
    }

    /** Starts memcached on a given port (one a client was already pointed at). */
    public static MemcachedProcess startOn(int port) {
        var memcached = new MemcachedProcess(port);
        memcached.startAgain();
        return memcached;
    }

    /** Starts (again) on the same port, empty, and waits until it accepts connections. */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("memcached on port " + port + " is already running (pid " + process.pid() + ")");
        }
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: run scripts/install-deps (it installs memcached)");
        }
        try {
            process = new ProcessBuilder(BINARY, "-p", Integer.toString(port), "-l", "127.0.0.1", "-U", "0",
                    "-m", Integer.toString(MEMORY_MB), "-u", "root")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("memcached did not start on port " + port, e);
        }
        awaitListening();
    }

    /** SIGKILL: the server vanishes mid-conversation, as in a crash. */
    public synchronized void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGSTOP: the server keeps its connections but answers nothing, as a hung or swapping machine. */
    public synchronized void pause() {
        LocalServer.pause(process, "memcached", READY_TIMEOUT);
    }

    /** SIGCONT after {@link #pause}: the server answers again, queued requests first. */
    public synchronized void resume() {
        signal("-CONT");
    }

    /** SIGTERM, as an operator's stop. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            awaitExit();
        }
    }

    public int port() {
        return port;
    }

    public CacheNode node() {
        return new CacheNode("127.0.0.1", port);
    }

    /** How PARLEY_MEMCACHED names this server. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public static String addresses(List<MemcachedProcess> servers) {
        return String.join(",", servers.stream().map(MemcachedProcess::address).toList());
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitListening() {
        LocalServer.awaitListening(process, "memcached", port, READY_TIMEOUT, "");
    }

    private synchronized void killIfAlive() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void signal(String signal) {
        LocalServer.signal(process, "memcached", signal);
    }

    private void awaitExit() {
        LocalServer.awaitExit(process, "memcached", READY_TIMEOUT);
    }

    private static void sleepBriefly() {
        LocalServer.sleepBriefly("memcached");
    }
}
