package org.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The real varnishd from the OS packages, running the repository's varnish/parley.vcl filled in by
 * scripts/render-config as an operator does, in the foreground ({@code -F}) on free loopback ports, with its own
 * working directory ({@code -n}) so it never meets another varnishd on the machine. {@code -j none}: no privilege
 * separation, since the test's temporary directories belong to whoever runs the tests. Stopped by its own process id.
 */
public final class VarnishProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final String VARNISHD = "/usr/sbin/varnishd";

    private final Process process;
    private final Path output;
    private final int port;

    private VarnishProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }, "varnish-" + port + "-cleanup"));
    }

    /** Varnish on a free port in front of {@code backendPort}, with the shipped VCL. */
    public static VarnishProcess start(Path dir, int backendPort) {
        return start(dir, FreePort.find(), backendPort, UnaryOperator.identity());
    }

    /**
     * Varnish on {@code port} (chosen before Parley starts, which must know where to send its bans), with the VCL
     * changed by {@code edit} after rendering (a variant a test needs, e.g. another ACL).
     */
    public static VarnishProcess start(Path dir, int port, int backendPort, UnaryOperator<String> edit) {
        if (!Files.isExecutable(Path.of(VARNISHD))) {
            throw new IllegalStateException(VARNISHD + " is missing: run scripts/install-deps test");
        }
        try {
            Files.createDirectories(dir);
            Path vcl = dir.resolve("parley.vcl");
            var render = new ProcessBuilder("scripts/render-config", "varnish/parley.vcl")
                    .redirectOutput(vcl.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            render.environment().put("VARNISH_BACKEND_HOST", "127.0.0.1");
            render.environment().put("VARNISH_BACKEND_PORT", Integer.toString(backendPort));
            if (render.start().waitFor() != 0) {
                throw new IllegalStateException("scripts/render-config varnish/parley.vcl failed");
            }
            Files.writeString(vcl, edit.apply(Files.readString(vcl)));
            int adminPort = FreePort.find();
            Path out = Files.createTempFile(dir, "varnishd", ".log");
            Process process = new ProcessBuilder(VARNISHD, "-F", "-j", "none",
                    "-a", "127.0.0.1:" + port, "-T", "127.0.0.1:" + adminPort,
                    "-f", vcl.toString(), "-n", dir.resolve("work").toString(), "-s", "malloc,64m")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            var varnish = new VarnishProcess(process, out, port);
            varnish.awaitListening();
            return varnish;
        } catch (IOException e) {
            throw new UncheckedIOException("varnishd did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("varnishd exited at start with " + process.exitValue() + ":\n"
                        + output());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100); // the child compiles the VCL first
            }
        }
        close();
        throw new IllegalStateException("varnishd did not listen on " + port + " within " + READY_TIMEOUT + ":\n"
                + output());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
