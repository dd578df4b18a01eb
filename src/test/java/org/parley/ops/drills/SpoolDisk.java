package org.parley.ops.drills;

import org.parley.testing.PgServer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A disk of its own for the comment spool, small enough to fill: a tmpfs mounted for the drill, made a PostgreSQL
 * tablespace, holding {@code main.comment_spool} with its indexes. Filling it gives the spool's writes the real
 * ENOSPC ("could not extend file", SQLSTATE 53100) while main's WAL and catalogue, on their own disk, stay
 * writable — the outage a spool on a full volume meets, without taking the whole main cluster down with it.
 * Mounting needs root ({@link #possible()}); scripts/test runs as root or through sudo where it installs packages.
 */
final class SpoolDisk implements AutoCloseable {
    private static final String TABLESPACE = "drill_spool_disk";
    private static final String SIZE = "4m";

    private final Path mountPoint;
    private final PgServer server;
    private final String database;
    private final Path filler;

    private SpoolDisk(Path mountPoint, PgServer server, String database) {
        this.mountPoint = mountPoint;
        this.server = server;
        this.database = database;
        this.filler = mountPoint.resolve("filler");
    }

    /** Whether this process may mount a filesystem (root, with mount(8) at hand). */
    static boolean possible() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/bin/mount"));
    }

    /** Mounts the disk on a new directory of its own: the test's folder is root's alone, and PostgreSQL runs as postgres. */
    static SpoolDisk mount(PgServer server, String database) throws Exception {
        Path mountPoint = Files.createTempDirectory("parley-spool-disk",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        run("mount", "-t", "tmpfs", "-o", "size=" + SIZE + ",mode=0700", "tmpfs", mountPoint.toString());
        var disk = new SpoolDisk(mountPoint, server, database);
        try {
            run("chown", PgServer.USER + ":" + PgServer.USER, mountPoint.toString());
            server.execute(database, "CREATE TABLESPACE " + TABLESPACE + " LOCATION '" + mountPoint + "'");
            disk.moveTo(TABLESPACE);
        } catch (Exception | AssertionError e) {
            disk.close();
            throw e;
        }
        return disk;
    }

    /** Writes zeros beside the tablespace until the filesystem has no byte left. */
    void fill() throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    /** Frees what {@link #fill()} took, as an operator growing or cleaning the volume does. */
    void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    private void moveTo(String tablespace) throws Exception {
        // a nearly empty table has room for dozens of rows in its last page, which a full disk does not stop;
        // a low fill factor makes every other insert need a new page, as the writes of a long outage soon do
        server.execute(database, "ALTER TABLE main.comment_spool SET ("
                + (tablespace.equals(TABLESPACE) ? "fillfactor = 10" : "fillfactor = 100") + ")");
        server.execute(database, "ALTER TABLE main.comment_spool SET TABLESPACE " + tablespace);
        for (String index : spoolIndexes()) {
            server.execute(database, "ALTER INDEX main." + index + " SET TABLESPACE " + tablespace);
        }
    }

    private List<String> spoolIndexes() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = server.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes"
                     + " WHERE schemaname = 'main' AND tablename = 'comment_spool'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Puts the spool back on main's own disk and unmounts the small one. */
    @Override
    public void close() throws Exception {
        try {
            free();
            moveTo("pg_default");
            server.execute(database, "DROP TABLESPACE IF EXISTS " + TABLESPACE);
        } finally {
            run("umount", "-l", mountPoint.toString());
            Files.deleteIfExists(mountPoint);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + said.strip());
        }
    }
}
