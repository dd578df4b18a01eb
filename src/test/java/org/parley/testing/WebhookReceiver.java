package org.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver process for webhook tests ({@link WebhookReceiverMain} in its own JVM) on a free loopback
 * port: it can be killed and started again on the same port, and tells every request it answered. Stopped by its
 * own process id.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as the receiver saw it. */
    public record Request(int answered, String method, String event, String delivery, String signature, String body) {
    }

    private final int port;
    private final int failures;
    private final List<Path> logs = new ArrayList<>();
    private Process process;

    private WebhookReceiver(int port, int failures) {
        this.port = port;
        this.failures = failures;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "webhook-receiver-" + port + "-cleanup"));
    }

    /** A receiver that answers its first {@code failures} requests with 500, then 200. */
    public static WebhookReceiver start(int failures) {
        WebhookReceiver receiver = new WebhookReceiver(FreePort.find(), failures);
        receiver.startAgain();
        return receiver;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Starts again on the same port (counting its failures afresh), once it listens. */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the receiver on " + port + " is running already");
        }
        try {
            Path log = Files.createTempFile("webhook-receiver-" + port + "-", ".log");
            logs.add(log);
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-cp", System.getProperty("java.class.path"), WebhookReceiverMain.class.getName(),
                    Integer.toString(port), Integer.toString(failures))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!Files.readString(log).contains("listening")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the webhook receiver did not start: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, and waits until the port is free: the receiver is down. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Every request answered so far, by this process and the ones before it on this port, in order. */
    public synchronized List<Request> requests() {
        List<Request> all = new ArrayList<>();
        try {
            for (Path log : logs) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    String[] f = line.split("\t", -1);
                    if (f.length == 6) {
                        all.add(new Request(Integer.parseInt(f[0]), f[1], f[2], f[3], f[4],
                                new String(Base64.getDecoder().decode(f[5]), StandardCharsets.UTF_8)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** Stops the receiver and deletes its logs: what it answered is gone after this. */
    @Override
    public synchronized void close() {
        kill();
        for (Path log : logs) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // a log left in the temporary directory is harmless
            }
        }
        logs.clear();
    }
}
