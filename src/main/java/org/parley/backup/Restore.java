package org.parley.backup;

import org.parley.config.StartupException;
import org.parley.data.ClusterConfig;
import org.parley.data.Databases;
import org.parley.data.Migrations;
import org.parley.data.ShardRouter;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * {@code parley restore DIR}: a backup onto empty servers, with the same shard count and any shard map.
 * <p>Nothing is written until everything is checked: the manifest, every file's SHA-256, the shard count, that the
 * servers' migrated schema is the backup's version, and that they hold no comments, sites or accounts. Then each
 * schema is restored in one transaction of its own, on the cluster the current shard map names, in parallel:
 * missing partitions first, then every table in foreign-key order ({@code COPY … FROM STDIN}), then the sequences,
 * so new IDs continue after the restored ones. A schema is all there or not at all; a run that stopped halfway is
 * run again and skips the schemas that are complete (their row counts are the manifest's).
 */
public final class Restore {
    public record Result(int schemas, int skipped, long rows, long millis) {
    }

    private final Databases databases;
    private final int jobs;
    private final Consumer<String> progress;

    public Restore(Databases databases, int jobs, Consumer<String> progress) {
        this.databases = databases;
        this.jobs = jobs;
        this.progress = progress;
    }

    public Result restoreFrom(Path dir) {
        long started = System.nanoTime();
        BackupManifest manifest;
        try {
            manifest = BackupManifest.read(dir);
        } catch (IOException e) {
            throw new StartupException("Cannot read the backup in " + dir + ": " + e.getMessage(), e);
        }
        int shards = databases.shardMap().shardCount();
        if (manifest.shardCount() != shards) {
            throw new StartupException("The backup has " + manifest.shardCount() + " logical shards and these servers"
                    + " are set up for " + shards + " (PARLEY_SHARDS): IDs name their shard, so the counts must match.");
        }
        verifyFiles(dir, manifest);
        progress.accept("Backup of " + manifest.created() + " checked: " + manifest.tables().size() + " files, "
                + manifest.rows() + " rows, SHA-256 of every file as recorded.");
        Migrations.migrate(databases, shard -> { });
        String mainVersion = version(ClusterConfig.MAIN, "main");
        String shardVersion = version(databases.shardMap().clusterOf(0), ShardRouter.schemaOf(0));
        if (!mainVersion.equals(manifest.mainVersion()) || !shardVersion.equals(manifest.shardVersion())) {
            throw new StartupException("The backup's schemas are at main V" + manifest.mainVersion() + ", shard V"
                    + manifest.shardVersion() + "; this Parley migrates to main V" + mainVersion + ", shard V"
                    + shardVersion + ". Restore with the Parley release that took the backup, then upgrade.");
        }

        Map<String, List<BackupManifest.TableFile>> bySchema = new LinkedHashMap<>();
        manifest.tables().forEach(t -> bySchema.computeIfAbsent(t.schema(), s -> new ArrayList<>()).add(t));
        refuseUnlessEmpty(bySchema);

        AtomicInteger done = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(jobs, Thread.ofVirtual().factory())) {
            List<Future<?>> running = new ArrayList<>();
            for (var schema : bySchema.entrySet()) {
                running.add(pool.submit(() -> {
                    if (!restoreSchema(dir, manifest, schema.getKey(), schema.getValue())) {
                        skipped.incrementAndGet();
                    }
                    int n = done.incrementAndGet();
                    if (n * 10 / bySchema.size() != (n - 1) * 10 / bySchema.size()) { // every tenth
                        progress.accept("  schemas restored: " + n + "/" + bySchema.size());
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new StartupException("Restore failed: " + StartupException.rootMessage(e) + " (schemas restored so"
                    + " far stay; run the same command again to restore the rest)", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("Restore interrupted; run it again to finish.");
        }
        return new Result(bySchema.size(), skipped.get(), manifest.rows(), (System.nanoTime() - started) / 1_000_000);
    }

    private static void verifyFiles(Path dir, BackupManifest manifest) {
        for (BackupManifest.TableFile t : manifest.tables()) {
            Path file = dir.resolve(t.file());
            MessageDigest sha = Backup.sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new StartupException("Cannot read " + file + " of the backup: " + e.getMessage()
                        + ". Nothing was restored.", e);
            }
            if (!HexFormat.of().formatHex(sha.digest()).equals(t.sha256())) {
                throw new StartupException(file + " is not the file the backup wrote (its SHA-256 differs from the"
                        + " manifest's). Nothing was restored.");
            }
        }
    }

    /** Restores one schema in one transaction; false when it was already complete (an earlier run's). */
    private boolean restoreSchema(Path dir, BackupManifest manifest, String schema, List<BackupManifest.TableFile> files)
            throws SQLException, IOException {
        Map<String, BackupManifest.TableFile> byTable = new LinkedHashMap<>();
        files.forEach(f -> byTable.put(f.table(), f));
        try (Connection c = databases.primaryOf(clusterOf(schema)).getConnection()) {
            if (complete(c, schema, files)) {
                return false;
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (BackupManifest.PartitionBound p : manifest.partitions()) {
                    if (p.schema().equals(schema)) {
                        s.execute("CREATE TABLE IF NOT EXISTS " + SchemaCatalog.qualified(schema, p.name())
                                + " PARTITION OF " + SchemaCatalog.qualified(schema, p.parent()) + " " + p.bound());
                    }
                }
            }
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            List<SchemaCatalog.Table> tables = SchemaCatalog.tables(c, schema);
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE " + String.join(", ", tables.stream()
                        .map(t -> SchemaCatalog.qualified(schema, t.name())).toList()));
            }
            for (SchemaCatalog.Table table : tables) {
                BackupManifest.TableFile file = byTable.remove(table.name());
                if (file == null) {
                    continue; // a table this release has and the backup had no rows for: stays empty
                }
                String columns = String.join(", ", file.columns().stream().map(SchemaCatalog::quote).toList());
                try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(file.file())), 1 << 16)) {
                    long rows = copy.copyIn("COPY " + SchemaCatalog.qualified(schema, table.name()) + " (" + columns
                            + ") FROM STDIN", in);
                    if (rows != file.rows()) {
                        throw new SQLException(file.file() + " gave " + rows + " rows, the manifest says " + file.rows());
                    }
                }
            }
            if (!byTable.isEmpty()) {
                throw new SQLException("The backup has tables " + byTable.keySet() + " in " + schema
                        + " that this release's schema does not");
            }
            try (Statement s = c.createStatement()) {
                for (var sequence : manifest.sequences().entrySet()) {
                    if (sequence.getKey().startsWith(schema + ".")) {
                        String name = sequence.getKey().substring(schema.length() + 1);
                        s.execute("SELECT setval('" + SchemaCatalog.qualified(schema, name).replace("'", "''") + "', "
                                + sequence.getValue() + ")");
                    }
                }
            }
            c.commit();
            return true;
        }
    }

    /** Whether an earlier run restored this schema (every table holds the manifest's count). */
    private static boolean complete(Connection c, String schema, List<BackupManifest.TableFile> files) throws SQLException {
        long expected = files.stream().mapToLong(BackupManifest.TableFile::rows).sum();
        return expected > 0 && rowsIn(c, schema, files) == expected;
    }

    private static long rowsIn(Connection c, String schema, List<BackupManifest.TableFile> files) throws SQLException {
        long rows = 0;
        try (Statement s = c.createStatement()) {
            for (BackupManifest.TableFile f : files) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SchemaCatalog.qualified(schema, f.table()))) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
        }
        return rows;
    }

    /**
     * Refuses servers that already hold what people wrote — sites, accounts, threads, comments — except schemas an
     * earlier run of this restore completed. Rows the migrations themselves write (the shard count in main's
     * settings) do not count: the schema's tables are emptied in the restore's transaction before the rows arrive.
     */
    private void refuseUnlessEmpty(Map<String, List<BackupManifest.TableFile>> bySchema) {
        for (var schema : bySchema.entrySet()) {
            String name = schema.getKey();
            List<String> written = name.equals("main") ? List.of("site", "account") : List.of("thread", "comment");
            try (Connection c = databases.primaryOf(clusterOf(name)).getConnection(); Statement s = c.createStatement()) {
                for (String table : written) {
                    long rows;
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SchemaCatalog.qualified(name, table))) {
                        rs.next();
                        rows = rs.getLong(1);
                    }
                    if (rows > 0 && !complete(c, name, schema.getValue())) {
                        throw new StartupException("Schema " + name + " on cluster " + clusterOf(name) + " already"
                                + " holds " + rows + " rows of " + table + ": restore only onto empty servers (a fresh"
                                + " PARLEY_DB_URL, never served). Nothing was restored.");
                    }
                }
            } catch (SQLException e) {
                throw new StartupException("Cannot read " + name + ": " + e.getMessage(), e);
            }
        }
    }

    private String clusterOf(String schema) {
        return schema.equals("main") ? ClusterConfig.MAIN
                : databases.shardMap().clusterOf(Integer.parseInt(schema.substring(1)));
    }

    private String version(String cluster, String schema) {
        return SchemaCatalog.version(databases.primaryOf(cluster), schema);
    }
}
