package org.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server for tests on a free loopback port, configured as a cache ({@code maxmemory 64mb},
 * {@code allkeys-lru}, nothing saved to disk), like {@link MemcachedProcess}: stopped politely, killed with
 * SIGKILL, paused with SIGSTOP, started again on the same port. Also a Redis Cluster node and a Sentinel, so the
 * tests can build those from the same parts. Stopped only by its own process id.
 */
public final class RedisProcess implements AutoCloseable {
    private static final String SERVER = "/usr/bin/redis-server";
    private static final String CLI = "/usr/bin/redis-cli";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLUSTER_READY_TIMEOUT = Duration.ofSeconds(30);
    /** Where Redis Cluster puts a node's bus: its port plus this. */
    private static final int CLUSTER_BUS_OFFSET = 10_000;

    private final int port;
    private final Path dir;
    private final List<String> arguments;
    private Process process;

    private RedisProcess(int port, List<String> arguments) {
        this.port = port;
        this.arguments = List.copyOf(arguments);
        try {
            this.dir = Files.createTempDirectory("parley-redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a test JVM that dies without @AfterEach must not leave redis-server behind; only this process is stopped
        Runtime.getRuntime().addShutdownHook(new Thread(this::killIfAlive, "redis-" + port + "-cleanup"));
    }

    /** A cache server on a free port, once it accepts connections. */
    public static RedisProcess start() {
        return startOn(FreePort.find());
    }

    /** A cache server on a given port (one a client was already pointed at). */
    public static RedisProcess startOn(int port) {
        var redis = new RedisProcess(port, cacheArguments());
        redis.startAgain();
        return redis;
    }

    /** A cache server that requires {@code password} (AUTH), as a managed Redis does. */
    public static RedisProcess startWithPassword(String password) {
        List<String> args = cacheArguments();
        args.addAll(List.of("--requirepass", password));
        var redis = new RedisProcess(FreePort.find(), args);
        redis.startAgain();
        return redis;
    }

    /**
     * A cache server that speaks only TLS on its port (the plain port off), with {@code cert} and {@code key} (PEM),
     * as a managed Redis with in-transit encryption does; clients are not asked for certificates of their own.
     */
    public static RedisProcess startWithTls(Path cert, Path key, Path ca) {
        int port = FreePort.find();
        List<String> args = cacheArguments();
        args.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file", cert.toString(),
                "--tls-key-file", key.toString(), "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "no"));
        var redis = new RedisProcess(port, args);
        redis.startAgain();
        return redis;
    }

    /** A replica of {@code master}, for Sentinel to promote. */
    public static RedisProcess replicaOf(RedisProcess master) {
        List<String> args = cacheArguments();
        args.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
        var redis = new RedisProcess(FreePort.find(), args);
        redis.startAgain();
        return redis;
    }

    /**
     * A Sentinel watching {@code master} under {@code name}, alone (quorum 1), declaring it down after 1 s: a
     * failover within seconds, for a test.
     */
    public static RedisProcess sentinel(RedisProcess master, String name) {
        int port = FreePort.find();
        var sentinel = new RedisProcess(port, List.of("--sentinel"));
        String config = String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + sentinel.dir,
                "sentinel monitor " + name + " 127.0.0.1 " + master.port() + " 1",
                "sentinel down-after-milliseconds " + name + " 1000",
                "sentinel failover-timeout " + name + " 5000",
                "");
        try {
            Files.writeString(sentinel.configFile(), config, StandardCharsets.UTF_8); // Sentinel rewrites it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sentinel.startAgain();
        return sentinel;
    }

    /**
     * A Redis Cluster of {@code masters} nodes without replicas ({@code redis-cli --cluster create}), once every
     * slot is served. Each node keeps its cluster state in its own directory, so a killed node started again on
     * its port rejoins with its slots.
     */
    public static List<RedisProcess> cluster(int masters) {
        List<RedisProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                List<String> args = cacheArguments();
                // a cache: a lost master's keys miss, and the other masters go on serving theirs
                args.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "2000", "--cluster-require-full-coverage", "no"));
                var node = new RedisProcess(portWithFreeBus(), args);
                node.startAgain();
                nodes.add(node);
            }
            List<String> create = new ArrayList<>(List.of(CLI, "--cluster", "create"));
            nodes.forEach(node -> create.add(node.address()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String out = run(create);
            long deadline = System.nanoTime() + CLUSTER_READY_TIMEOUT.toNanos();
            while (!nodes.stream().allMatch(RedisProcess::clusterOk)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Redis Cluster was not ready within "
                            + CLUSTER_READY_TIMEOUT.toSeconds() + " s; redis-cli said: " + out);
                }
                sleepBriefly();
            }
            return nodes;
        } catch (RuntimeException e) {
            nodes.forEach(RedisProcess::close);
            throw e;
        }
    }

    /**
     * A free port whose cluster bus port (the port + 10 000, where Redis puts it) is free too. Nothing checked the
     * bus port before, and with ports from the ephemeral range it lands in that range, where another process's
     * connection can hold it: a CI run lost a node at start to exactly that. Setting the bus port
     * ({@code cluster-port}) would need Redis 7.0.3 for {@code redis-cli --cluster create} to honour it.
     */
    private static int portWithFreeBus() {
        for (int tries = 0; tries < 100; tries++) {
            int port = FreePort.find();
            if (port + CLUSTER_BUS_OFFSET <= 65_535 && FreePort.isFree(port + CLUSTER_BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port with a free cluster bus port (+" + CLUSTER_BUS_OFFSET + ") in 100 tries");
    }

    /** Starts (again) on the same port and waits until it accepts connections. A cache server starts empty. */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is already running (pid " + process.pid() + ")");
        }
        if (!Files.isExecutable(Path.of(SERVER))) {
            throw new IllegalStateException(SERVER + " is missing: run scripts/install-deps test (it installs redis-server)");
        }
        List<String> command = new ArrayList<>();
        command.add(SERVER);
        if (arguments.contains("--sentinel")) {
            command.add(configFile().toString()); // a Sentinel reads (and rewrites) its file
            command.add("--sentinel");
        } else {
            command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString()));
            command.addAll(arguments);
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server did not start on port " + port, e);
        }
        awaitListening();
    }

    /** SIGKILL: the server vanishes mid-conversation, as in a crash or an OOM kill. */
    public synchronized void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGSTOP: the server keeps its connections but answers nothing, as a hung or swapping machine. */
    public synchronized void pause() {
        LocalServer.pause(process, "redis-server", READY_TIMEOUT);
    }

    /** SIGCONT after {@link #pause}. */
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

    /** host:port, as redis-cli and the URLs name this server. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** How PARLEY_REDIS_URL names this server. */
    public String url() {
        return "redis://" + address();
    }

    /** PARLEY_REDIS_URL for a Redis Cluster given by some of its nodes. */
    public static String clusterUrl(List<RedisProcess> nodes) {
        return "redis-cluster://" + String.join(",", nodes.stream().map(RedisProcess::address).toList());
    }

    /** redis-cli against this server: for tests that look at what Redis holds. */
    public String cli(String... command) {
        List<String> args = new ArrayList<>(List.of(CLI, "-h", "127.0.0.1", "-p", Integer.toString(port)));
        args.addAll(List.of(command));
        return run(args).strip();
    }

    @Override
    public void close() {
        stop();
        TempDirs.deleteTree(dir);
    }

    private static List<String> cacheArguments() {
        return new ArrayList<>(List.of("--save", "", "--appendonly", "no", "--maxmemory", "64mb",
                "--maxmemory-policy", "allkeys-lru"));
    }

    private Path configFile() {
        return dir.resolve("sentinel.conf");
    }

    private boolean clusterOk() {
        return cli("cluster", "info").contains("cluster_state:ok");
    }

    private static String run(List<String> command) {
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cli.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || cli.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running redis-cli", e);
        }
    }

    private void awaitListening() {
        LocalServer.awaitListening(process, "redis-server", port, READY_TIMEOUT, "; see " + dir.resolve("redis.log"));
    }

    private synchronized void killIfAlive() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private void signal(String signal) {
        LocalServer.signal(process, "redis-server", signal);
    }

    private void awaitExit() {
        LocalServer.awaitExit(process, "redis-server", READY_TIMEOUT);
    }

    private static void sleepBriefly() {
        LocalServer.sleepBriefly("redis-server");
    }
}
