package org.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PgBouncer from the OS package ({@code pgbouncer}; scripts/install-deps) in transaction pooling mode, on a
 * free loopback port, in front of one database of a test PostgreSQL, with {@code serverConnections} server
 * connections at most. Its configuration and log live in a temporary directory; PgBouncer refuses to run as root,
 * so as root it takes the identity of {@code nobody}. Stopped only by its own process id.
 */
public final class PgBouncerProcess implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final Path dir;
    private final Process process;

    private PgBouncerProcess(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "pgbouncer-" + port + "-cleanup"));
    }

    /** Pools {@code database} of the server on {@code serverPort} as {@code user}, trusting loopback clients. */
    public static PgBouncerProcess start(int serverPort, String database, String user, int serverConnections) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: run scripts/install-deps test (it installs pgbouncer)");
        }
        int port = FreePort.find();
        try {
            Path dir = Files.createTempDirectory("parley-pgbouncer");
            // its log is written as nobody when the tests run as root (the umask would leave the directory 755)
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path users = dir.resolve("users.txt");
            Files.writeString(users, "\"" + user + "\" \"\"\n");
            Path ini = dir.resolve("pgbouncer.ini");
            Files.writeString(ini, String.join("\n",
                    "[databases]",
                    database + " = host=127.0.0.1 port=" + serverPort + " dbname=" + database + " user=" + user,
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = trust",
                    "auth_file = " + users,
                    "pool_mode = transaction",
                    "default_pool_size = " + serverConnections,
                    "max_client_conn = 500",
                    "server_reset_query =",
                    "ignore_startup_parameters = extra_float_digits,options",
                    "logfile = " + dir.resolve("pgbouncer.log"),
                    ""));
            for (Path file : List.of(users, ini)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
            List<String> command = new ArrayList<>(List.of(BINARY.toString()));
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("-u", "nobody"));
            }
            command.add(ini.toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
            var bouncer = new PgBouncerProcess(port, dir, process);
            bouncer.awaitListening();
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("pgbouncer did not start on port " + port, e);
        }
    }

    public int port() {
        return port;
    }

    /** What PgBouncer logged (connections, errors): for a failing test's message. */
    public String log() {
        try {
            Path log = dir.resolve("pgbouncer.log");
            return Files.exists(log) ? Files.readString(log) : Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited at start with status " + process.exitValue()
                        + ":\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("pgbouncer did not listen on " + port + " within " + READY_TIMEOUT.toSeconds()
                + " s:\n" + log());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TempDirs.deleteTree(dir);
    }
}
