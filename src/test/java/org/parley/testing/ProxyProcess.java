package org.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The real HAProxy, nginx or Varnish from the OS packages, running the repository's own haproxy/haproxy.cfg,
 * nginx/nginx.conf or varnish/parley.vcl, filled in by scripts/render-config exactly as an operator does, in the
 * foreground on free loopback ports. Output goes to a file; stopped by its own process id.
 */
public final class ProxyProcess implements AutoCloseable {
    /** varnishd compiles its VCL with the C compiler before it listens: seconds on a busy machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path output;
    private final int port;

    private ProxyProcess(String name, Process process, Path output, int port) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.port = port;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }, name + "-" + port + "-cleanup"));
    }

    /**
     * HAProxy on a free port of both loopback addresses (127.0.0.1 and [::1], as a browser reaches {@code localhost})
     * in front of Parley instances on {@code servers} (two), stats on {@code statsPort}.
     */
    public static ProxyProcess haproxy(Path dir, int statsPort, List<Integer> servers) {
        if (servers.size() != 2) {
            throw new IllegalArgumentException("haproxy.cfg ships with two server lines");
        }
        int port = FreePort.find();
        Map<String, String> values = new HashMap<>();
        values.put("HAPROXY_BIND", "127.0.0.1:" + port + ",[::1]:" + port);
        values.put("HAPROXY_STATS_PORT", Integer.toString(statsPort));
        values.put("HAPROXY_RUN_DIR", dir.toString());
        values.put("APP_SERVER_1", "127.0.0.1:" + servers.get(0));
        values.put("APP_SERVER_2", "127.0.0.1:" + servers.get(1));
        Path config = render(dir, "haproxy/haproxy.cfg", values);
        return start("haproxy", dir, port, "/usr/sbin/haproxy", "-db", "-f", config.toString());
    }

    /**
     * varnishd on {@code port} (chosen before Parley starts, which must know where to send its bans) in front of
     * {@code backendPort}, running varnish/parley.vcl as scripts/render-config fills it in for an operator, changed
     * by {@code edit} (a variant a test needs, e.g. another ACL). In the foreground ({@code -F}), with its own working
     * directory ({@code -n}) so it never meets another varnishd on the machine; {@code -j none}: no privilege
     * separation, since the test's temporary directories belong to whoever runs the tests.
     */
    public static ProxyProcess varnish(Path dir, int port, int backendPort, UnaryOperator<String> edit) {
        Path vcl = render(dir, "varnish/parley.vcl", Map.of("VARNISH_BACKEND_HOST", "127.0.0.1",
                "VARNISH_BACKEND_PORT", Integer.toString(backendPort)));
        try {
            Files.writeString(vcl, edit.apply(Files.readString(vcl)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start("varnishd", dir, port, "/usr/sbin/varnishd", "-F", "-j", "none", "-a", "127.0.0.1:" + port,
                "-T", "127.0.0.1:" + FreePort.find(), "-f", vcl.toString(), "-n", dir.resolve("work").toString(),
                "-s", "malloc,64m");
    }

    /** nginx on {@code port} in front of {@code upstreamPort} (HAProxy), serving the repository's static/. */
    public static ProxyProcess nginx(Path dir, int upstreamPort, int port) {
        Map<String, String> values = new HashMap<>();
        values.put("NGINX_LISTEN", "127.0.0.1:" + port);
        values.put("NGINX_UPSTREAM", "127.0.0.1:" + upstreamPort);
        values.put("NGINX_STATIC_DIR", staticDir().toString());
        values.put("NGINX_CACHE_DIR", dir.resolve("cache").toString());
        values.put("NGINX_RUN_DIR", dir.toString());
        Path config = render(dir, "nginx/nginx.conf", values);
        // started as root, nginx's workers run as "nobody": they must be able to reach the cache under dir
        allowTraversal(dir);
        return start("nginx", dir, port, "/usr/sbin/nginx", "-g", "daemon off;", "-c", config.toString(),
                "-e", "stderr");
    }

    /**
     * A server's state on HAProxy's stats page ("UP", "DOWN", "UP 1/2" while it is being confirmed, …), from its
     * CSV export, with its retry and redispatch counters: {@code [status, wretr, wredis]}.
     */
    public static List<String> haproxyServer(int statsPort, String backend, String server) {
        var csv = Http.get("http://127.0.0.1:" + statsPort + "/;csv").body().lines().toList();
        List<String> columns = List.of(csv.getFirst().replaceFirst("^# ", "").split(","));
        for (String line : csv.subList(1, csv.size())) {
            String[] row = line.split(",", -1);
            if (row.length > 1 && row[0].equals(backend) && row[1].equals(server)) {
                return List.of(row[columns.indexOf("status")], row[columns.indexOf("wretr")],
                        row[columns.indexOf("wredis")]);
            }
        }
        throw new IllegalStateException("no server " + backend + "/" + server + " on HAProxy's stats page:\n" + csv);
    }

    /** The repository's static/ folder, as an operator points nginx at it. */
    public static Path staticDir() {
        return Path.of("static").toAbsolutePath();
    }

    public int port() {
        return port;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Everything the program wrote (HAProxy's request log, nginx's access log). */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** Adds o+x to {@code dir} and to its ancestors that lack it (JUnit's temporary directories are 0700). */
    private static void allowTraversal(Path dir) {
        try {
            for (Path p = dir.toAbsolutePath(); p != null && p.getParent() != null; p = p.getParent()) {
                var permissions = Files.getPosixFilePermissions(p);
                if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(p, permissions);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path render(Path dir, String template, Map<String, String> values) {
        try {
            Files.createDirectories(dir);
            Path rendered = dir.resolve(Path.of(template).getFileName());
            var builder = new ProcessBuilder("scripts/render-config", template)
                    .redirectOutput(rendered.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().putAll(values);
            int status = builder.start().waitFor();
            if (status != 0) {
                throw new IllegalStateException("scripts/render-config " + template + " failed with " + status);
            }
            return rendered;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ProxyProcess start(String name, Path dir, int port, String... command) {
        if (!Files.isExecutable(Path.of(command[0]))) {
            throw new IllegalStateException(command[0] + " is missing: run scripts/install-deps test");
        }
        try {
            Path out = Files.createTempFile(dir, name, ".log");
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            var proxy = new ProxyProcess(name, process, out, port);
            proxy.awaitListening();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(name + " did not start", e);
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited at start with " + process.exitValue() + ":\n" + output());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                pause(); // not listening yet
            }
        }
        close();
        throw new IllegalStateException(name + " did not listen on " + port + " within " + READY_TIMEOUT + ":\n" + output());
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
