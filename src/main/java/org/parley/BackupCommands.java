package org.parley;

import com.codahale.metrics.MetricRegistry;
import org.parley.backup.Backup;
import org.parley.backup.BackupManifest;
import org.parley.backup.Restore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code parley backup} and {@code parley restore}: the whole of a Parley's data, as files (docs/operations.md). */
final class BackupCommands {
    private BackupCommands() {
    }

    /**
     * {@code --jobs}, within the smallest primary's pool, with one connection of it left free (the backup's
     * snapshot holder, the restore's migrations): a job waiting for a connection would time out.
     */
    private static int connections(int jobs, org.parley.data.Databases databases) {
        int pool = databases.servers().stream().filter(s -> s.role() == org.parley.data.Databases.Role.PRIMARY)
                .mapToInt(s -> s.pool().getMaximumPoolSize()).min().orElse(2);
        return Math.max(1, Math.min(jobs, pool - 1));
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Copy main and every shard schema into DIR: one consistent snapshot per cluster, tables"
                    + " copied in parallel, gzipped, with a manifest (shard map, versions, row counts, SHA-256).",
                    "Safe while Parley serves. Restore with 'parley restore DIR'."})
    static final class BackupCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty directory.")
        Path out;

        @Option(names = "--jobs", paramLabel = "N", defaultValue = "4",
                description = "Tables copied at once per cluster (default: ${DEFAULT-VALUE}; at most the pool size - 1).")
        int jobs;

        @Override
        public Integer call() {
            return ShardCommands.withDatabases(parent, databases -> {
                long started = System.nanoTime();
                BackupManifest manifest = new Backup(databases, connections(jobs, databases), System.out::println)
                        .writeTo(out);
                System.out.printf("Backup in %s: %d shards, %d tables, %d rows in %d ms%n", out, manifest.shardCount(),
                        manifest.tables().size(), manifest.rows(), (System.nanoTime() - started) / 1_000_000);
                return 0;
            });
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Restore a backup made by 'parley backup' onto empty servers: the configured databases,"
                    + " with the same number of shards (PARLEY_SHARDS) and any shard map.",
                    "Checks every file first and writes nothing if one is damaged; each schema is restored whole"
                            + " or not at all, and a run that stopped is finished by running it again."})
    static final class RestoreCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Parameters(paramLabel = "DIR", description = "A directory 'parley backup --out' wrote.")
        Path dir;

        @Option(names = "--jobs", paramLabel = "N", defaultValue = "4",
                description = "Schemas restored at once (default: ${DEFAULT-VALUE}).")
        int jobs;

        @Override
        public Integer call() {
            try (var infrastructure = Infrastructure.open(parent.loadConfig(), new MetricRegistry())) {
                var databases = infrastructure.databases();
                Restore.Result result = new Restore(databases, connections(jobs, databases), System.out::println)
                        .restoreFrom(dir);
                System.out.printf("Restored %d schemas (%d complete already), %d rows in %d ms. Flush the shared"
                        + " cache (PARLEY_MEMCACHED or PARLEY_REDIS_URL) if these servers' instances used it before.%n", result.schemas(),
                        result.skipped(), result.rows(), result.millis());
                return 0;
            }
        }
    }
}
