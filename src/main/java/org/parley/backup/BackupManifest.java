package org.parley.backup;

import org.parley.config.StartupException;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a backup directory holds, written last as {@code manifest.properties} (a directory without one is an
 * unfinished backup): the shard count and map it was taken with, the schema versions, and for every table its
 * file, columns, row count and SHA-256; every sequence's position; every partition's bounds. A properties file,
 * because an operator should be able to read it, and Java reads it without a library.
 */
public record BackupManifest(String created, int shardCount, Map<Integer, String> shardMap, String mainVersion,
                             String shardVersion, List<TableFile> tables, Map<String, Long> sequences,
                             List<PartitionBound> partitions) {
    static final String FILE = "manifest.properties";
    static final int FORMAT = 1;

    /** One table's rows: {@code schema/table.tsv.gz} in COPY's text format. */
    public record TableFile(String schema, String table, List<String> columns, long rows, String sha256) {
        String file() {
            return schema + "/" + table + ".tsv.gz";
        }
    }

    /** A partition to create before its rows arrive. */
    public record PartitionBound(String schema, String parent, String name, String bound) {
    }

    public long rows() {
        return tables.stream().mapToLong(TableFile::rows).sum();
    }

    void write(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", Integer.toString(FORMAT));
        p.setProperty("created", created);
        p.setProperty("shards", Integer.toString(shardCount));
        shardMap.forEach((shard, cluster) -> p.setProperty("shard." + shard + ".cluster", cluster));
        p.setProperty("version.main", mainVersion);
        p.setProperty("version.shard", shardVersion);
        for (TableFile t : tables) {
            String key = "table." + t.schema() + "." + t.table();
            p.setProperty(key + ".columns", String.join(",", t.columns()));
            p.setProperty(key + ".rows", Long.toString(t.rows()));
            p.setProperty(key + ".sha256", t.sha256());
        }
        sequences.forEach((name, value) -> p.setProperty("sequence." + name, Long.toString(value)));
        for (PartitionBound b : partitions) {
            p.setProperty("partition." + b.schema() + "." + b.name(), b.parent() + "|" + b.bound());
        }
        Path temporary = dir.resolve(FILE + ".part");
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            p.store(out, "Parley backup: restore with `parley restore DIR`");
        }
        Files.move(temporary, dir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a manifest, or says precisely why the directory is not a backup Parley can restore. */
    static BackupManifest read(Path dir) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new StartupException(dir + " holds no " + FILE + ": not a finished Parley backup.");
        }
        if (!Integer.toString(FORMAT).equals(p.getProperty("format"))) {
            throw new StartupException(FILE + " is format " + p.getProperty("format") + "; this Parley reads format "
                    + FORMAT + ".");
        }
        int shards = Integer.parseInt(required(p, "shards"));
        Map<Integer, String> map = new TreeMap<>();
        Map<String, TableFile> tables = new TreeMap<>();
        Map<String, Long> sequences = new TreeMap<>();
        List<PartitionBound> partitions = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            String[] parts = key.split("\\.");
            if (key.startsWith("shard.") && key.endsWith(".cluster")) {
                map.put(Integer.parseInt(parts[1]), p.getProperty(key));
            } else if (key.startsWith("table.") && key.endsWith(".rows")) {
                String base = key.substring(0, key.length() - ".rows".length());
                tables.put(base, new TableFile(parts[1], parts[2],
                        Arrays.asList(required(p, base + ".columns").split(",")), Long.parseLong(p.getProperty(key)),
                        required(p, base + ".sha256")));
            } else if (key.startsWith("sequence.")) {
                sequences.put(key.substring("sequence.".length()), Long.parseLong(p.getProperty(key)));
            } else if (key.startsWith("partition.")) {
                String[] value = p.getProperty(key).split("\\|", 2);
                partitions.add(new PartitionBound(parts[1], value[0], parts[2], value[1]));
            }
        }
        return new BackupManifest(required(p, "created"), shards, map, required(p, "version.main"),
                required(p, "version.shard"), List.copyOf(tables.values()), sequences, partitions);
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new StartupException(FILE + " has no " + key + ": the file is damaged.");
        }
        return value;
    }
}
