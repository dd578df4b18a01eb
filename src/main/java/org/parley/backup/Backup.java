package org.parley.backup;

import org.parley.config.StartupException;
import org.parley.data.ClusterConfig;
import org.parley.data.Databases;
import org.parley.data.ShardRouter;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * {@code parley backup --out DIR}: main and every shard schema, consistent per cluster, copied in parallel.
 * <p>On each cluster one connection opens a read-only repeatable-read transaction and exports its snapshot; every
 * table is then copied ({@code COPY … TO STDOUT}, text format, in primary-key order, gzipped) by up to
 * {@code jobs} connections per cluster that each adopt that snapshot, so all of a cluster's schemas are read as of
 * one moment while writers go on. Clusters are separate servers and have no common moment; a comment lives wholly
 * in its shard's schema, so each shard is consistent in itself (docs/operations.md). The manifest is written last.
 */
public final class Backup {
    private final Databases databases;
    private final int jobs;
    private final Consumer<String> progress;

    public Backup(Databases databases, int jobs, Consumer<String> progress) {
        this.databases = databases;
        this.jobs = jobs;
        this.progress = progress;
    }

    public BackupManifest writeTo(Path dir) {
        try {
            if (Files.exists(dir) && (!Files.isDirectory(dir) || hasEntries(dir))) {
                throw new StartupException(dir + " exists and is not an empty directory: give a new one to --out.");
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StartupException("Cannot create " + dir + ": " + e.getMessage(), e);
        }
        Map<String, List<String>> schemasByCluster = new TreeMap<>();
        schemasByCluster.computeIfAbsent(ClusterConfig.MAIN, c -> new ArrayList<>()).add("main");
        Map<Integer, String> map = new TreeMap<>();
        for (int shard = 0; shard < databases.shardMap().shardCount(); shard++) {
            String cluster = databases.shardMap().clusterOf(shard);
            map.put(shard, cluster);
            schemasByCluster.computeIfAbsent(cluster, c -> new ArrayList<>()).add(ShardRouter.schemaOf(shard));
        }
        List<BackupManifest.TableFile> tables = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> sequences = new java.util.concurrent.ConcurrentSkipListMap<>();
        List<BackupManifest.PartitionBound> partitions = java.util.Collections.synchronizedList(new ArrayList<>());
        // the clusters are separate servers: each is copied at the same time as the others
        try (ExecutorService clusters = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (var cluster : schemasByCluster.entrySet()) {
                running.add(clusters.submit(() -> copyCluster(cluster.getKey(), cluster.getValue(), dir, tables,
                        sequences, partitions)));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StartupException startup ? startup
                    : new StartupException("Backup failed: " + StartupException.rootMessage(e), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("Backup interrupted.");
        }
        tables.sort(java.util.Comparator.comparing(BackupManifest.TableFile::file));
        var manifest = new BackupManifest(Instant.now().toString(), databases.shardMap().shardCount(), map,
                version(ClusterConfig.MAIN, "main"), version(map.get(0), ShardRouter.schemaOf(0)), tables, sequences,
                partitions);
        try {
            manifest.write(dir);
        } catch (IOException e) {
            throw new StartupException("Cannot write the manifest in " + dir + ": " + e.getMessage(), e);
        }
        return manifest;
    }

    private void copyCluster(String cluster, List<String> schemas, Path dir, List<BackupManifest.TableFile> tables,
                             Map<String, Long> sequences, List<BackupManifest.PartitionBound> partitions) {
        DataSource primary = databases.primaryOf(cluster);
        try (Connection leader = primary.getConnection()) {
            leader.setAutoCommit(false);
            String snapshot;
            try (Statement s = leader.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                try (ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    snapshot = rs.getString(1);
                }
            }
            List<Copy> copies = new ArrayList<>();
            for (String schema : schemas) {
                Files.createDirectories(dir.resolve(schema));
                for (SchemaCatalog.Table table : SchemaCatalog.tables(leader, schema)) {
                    copies.add(new Copy(schema, table));
                }
                SchemaCatalog.sequences(leader, schema).forEach((name, value) -> sequences.put(schema + "." + name, value));
                SchemaCatalog.partitions(leader, schema).forEach(p -> partitions.add(
                        new BackupManifest.PartitionBound(schema, p.parent(), p.name(), p.bound())));
            }
            progress.accept("Cluster " + cluster + ": " + schemas.size() + " schemas, " + copies.size()
                    + " tables, one snapshot, " + jobs + " connections");
            AtomicInteger done = new AtomicInteger();
            Map<Copy, BackupManifest.TableFile> written = new ConcurrentHashMap<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(jobs, Thread.ofVirtual().factory())) {
                List<Future<?>> running = new ArrayList<>();
                for (Copy copy : copies) {
                    running.add(pool.submit(() -> {
                        written.put(copy, copy(primary, snapshot, copy, dir));
                        int n = done.incrementAndGet();
                        if (n * 10 / copies.size() != (n - 1) * 10 / copies.size()) { // every tenth
                            progress.accept("  " + cluster + ": " + n + "/" + copies.size() + " tables");
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } catch (ExecutionException e) {
                throw new StartupException("Backup of cluster " + cluster + " failed: "
                        + StartupException.rootMessage(e), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("Backup interrupted.");
            }
            copies.forEach(c -> tables.add(written.get(c)));
            leader.rollback();
        } catch (SQLException | IOException e) {
            throw new StartupException("Backup of cluster " + cluster + " failed: " + e.getMessage(), e);
        }
    }

    private record Copy(String schema, SchemaCatalog.Table table) {
    }

    private static BackupManifest.TableFile copy(DataSource primary, String snapshot, Copy copy, Path dir)
            throws SQLException, IOException {
        var table = copy.table();
        Path file = dir.resolve(copy.schema()).resolve(table.name() + ".tsv.gz");
        MessageDigest sha = sha256();
        long rows;
        try (Connection c = primary.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
            }
            String order = table.primaryKey().isEmpty() ? ""
                    : " ORDER BY " + String.join(", ", table.primaryKey().stream().map(SchemaCatalog::quote).toList());
            String sql = "COPY (SELECT " + table.columnList() + " FROM "
                    + SchemaCatalog.qualified(copy.schema(), table.name()) + order + ") TO STDOUT";
            try (OutputStream out = new GZIPOutputStream(new DigestOutputStream(Files.newOutputStream(file), sha), 1 << 16)) {
                rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, out);
            }
            c.rollback();
        }
        return new BackupManifest.TableFile(copy.schema(), table.name(), table.columns(), rows,
                HexFormat.of().formatHex(sha.digest()));
    }

    private String version(String cluster, String schema) {
        return SchemaCatalog.version(databases.primaryOf(cluster), schema);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }
}
