package org.parley;

import com.codahale.metrics.MetricRegistry;
import org.parley.config.StartupException;
import org.parley.data.CitusShardMove;
import org.parley.data.Databases;
import org.parley.data.ShardMove;
import org.parley.data.ShardPlacements;
import org.parley.data.ShardRouter;
import org.parley.discussion.CounterReconciliation;
import org.parley.edge.EdgePurges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The operator's commands on logical shards: {@code parley reconcile} and {@code parley move-shard}. */
final class ShardCommands {
    private ShardCommands() {
    }

    /** The configured databases with the shard map every instance uses (PARLEY_SHARD_MAP + main.shard_placement). */
    static int withDatabases(Main parent, Function<Databases, Integer> work) {
        return withDatabases(parent, (config, databases) -> work.apply(databases));
    }

    static int withDatabases(Main parent, BiFunction<Config, Databases, Integer> work) {
        Config config = parent.loadConfig();
        try (var infrastructure = Infrastructure.open(config, new MetricRegistry())) {
            ShardPlacements.apply(infrastructure.databases());
            return work.apply(config, infrastructure.databases());
        }
    }

    @Command(name = "reconcile", mixinStandardHelpOptions = true,
            description = {"Recount the denormalised counters (thread comment counts; each comment's replies,"
                    + " votes, score and flags) from the rows, repair any that drifted, and list what was fixed.",
                    "Safe while Parley serves: each repair locks only the row it fixes. Exit status 0 either way."})
    static final class Reconcile implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Option(names = "--shard", paramLabel = "N", description = "Only this logical shard (default: all).")
        Integer shard;

        @Option(names = "--batch", paramLabel = "THREADS", defaultValue = "" + CounterReconciliation.DEFAULT_BATCH,
                description = "Threads read per pass (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--dry-run", description = "Report drift without repairing it.")
        boolean dryRun;

        @Override
        public Integer call() {
            return withDatabases(parent, (config, databases) -> {
                PrintStream out = System.out;
                // the edge keeps a repaired thread's page until purged: the purge waits in the outbox for an instance
                var job = new CounterReconciliation(databases, batch, dryRun, (thread, version) -> { },
                        EdgePurges.of(config.edge(), () -> { }));
                List<CounterReconciliation.ShardResult> results;
                if (shard != null) {
                    if (shard < 0 || shard >= databases.shardMap().shardCount()) {
                        throw new CommandLine.ParameterException(new CommandLine(this), "--shard must be 0-"
                                + (databases.shardMap().shardCount() - 1) + ", got " + shard);
                    }
                    results = List.of(job.run(shard));
                    print(out, databases, results.getFirst());
                } else {
                    results = job.runAll(r -> print(out, databases, r));
                }
                long threads = results.stream().mapToLong(CounterReconciliation.ShardResult::threads).sum();
                long comments = results.stream().mapToLong(CounterReconciliation.ShardResult::comments).sum();
                long fixes = results.stream().mapToLong(r -> r.fixes().size()).sum();
                out.printf("%d shards, %d threads, %d comments checked; %d counters %s%n", results.size(), threads,
                        comments, fixes, dryRun ? "drifted (not repaired: --dry-run)" : "repaired");
                return 0;
            });
        }

        private static void print(PrintStream out, Databases databases, CounterReconciliation.ShardResult r) {
            out.printf("%s on %s: %d threads, %d comments, %d fixed (%d ms)%n", ShardRouter.schemaOf(r.shard()),
                    databases.shardMap().clusterOf(r.shard()), r.threads(), r.comments(), r.fixes().size(), r.millis());
            r.fixes().forEach(fix -> out.println("  fixed " + fix));
        }
    }

    @Command(name = "move-shard", mixinStandardHelpOptions = true,
            description = {"Move one logical shard to another cluster while Parley takes writes: logical replication,"
                    + " a short write pause, verification, then every instance switches (see docs/shard-moves.md).",
                    "Needs wal_level=logical on the source. Interrupted? Run it again: it continues where it stopped.",
                    "On Citus (the shard's database is a Citus coordinator): --to names a worker as host:port"
                    + " (SELECT nodename, nodeport FROM pg_dist_node) and Citus moves the shard's distributed schema"
                    + " there with citus_move_shard_placement (see docs/scale-out.md, \"Citus (in progress)\")."})
    static final class MoveShard implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Option(names = "--shard", paramLabel = "N", required = true, description = "The logical shard to move.")
        int shard;

        @Option(names = "--to", paramLabel = "CLUSTER", description = "The cluster to move it to (a name from"
                + " PARLEY_SHARD_MAP / PARLEY_CLUSTER_{NAME}_URL); on Citus, the worker as host:port.")
        String target;

        @Option(names = "--abort", description = "Undo an unfinished move: the shard stays where it was.")
        boolean abort;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600",
                description = "Give up waiting for the copy or the catch-up after this long (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Option(names = "--source-conninfo", paramLabel = "CONNINFO", description = "How the target server reaches"
                + " the source, as libpq conninfo (default: the source's configured host, port, database, user).")
        String sourceConnInfo;

        @Option(names = "--transfer-mode", paramLabel = "MODE", defaultValue = "auto", description = "Citus only:"
                + " auto (logical replication, writes blocked only at the end), force_logical or block_writes"
                + " (default: ${DEFAULT-VALUE}).")
        String transferMode;

        @Override
        public Integer call() {
            if (abort == (target != null)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "Give either --to CLUSTER (move, or continue a move) or --abort.");
            }
            return withDatabases(parent, (config, databases) -> {
                // which engine holds the shard; a shard number out of range is refused by either mover, in words
                String holder = databases.shardMap().clusterOf(Math.floorMod(shard, databases.shardMap().shardCount()));
                if (config.dbEngine().citus(databases, holder)) {
                    return moveByCitus(databases, databases.primaryOf(holder));
                }
                var move = new ShardMove(databases, shard, line -> System.out.println("move-shard: " + line),
                        Duration.ofSeconds(timeoutSeconds), sourceConnInfo);
                if (!transferMode.equals("auto")) { // a Citus option must not be silently ignored
                    throw new StartupException("--transfer-mode applies to moves by Citus; "
                            + ShardRouter.schemaOf(shard) + " is on plain PostgreSQL (cluster " + holder + "), where"
                            + " Parley always moves by logical replication.");
                }
                if (abort) {
                    move.abort();
                } else {
                    move.run(target.toLowerCase());
                }
                return 0;
            });
        }

        /** Citus moves the schema in one call; Parley has no map to flip (it talks to the coordinator only). */
        private int moveByCitus(Databases databases, DataSource coordinator) {
            if (abort) {
                throw new StartupException("On Citus a move is one call to citus_move_shard_placement: an interrupted"
                        + " one is cleaned up by Citus and the schema stays where it was, so there is nothing to abort.");
            }
            if (sourceConnInfo != null) {
                throw new StartupException("--source-conninfo applies to moves between PostgreSQL clusters; on Citus"
                        + " the workers reach each other as pg_dist_node names them.");
            }
            new CitusShardMove(coordinator, databases.shardMap().shardCount(), shard,
                    line -> System.out.println("move-shard: " + line), Duration.ofSeconds(timeoutSeconds),
                    transferMode).run(target);
            return 0;
        }
    }
}
