package org.parley;

import com.codahale.metrics.MetricRegistry;
import org.parley.bench.DatasetGenerator;
import org.parley.bench.DatasetOptions;
import org.parley.bench.DatasetSpec;
import org.parley.build.BuildInfo;
import org.parley.config.ConfigException;
import org.parley.config.ConfigSources;
import org.parley.config.Setting;
import org.parley.config.StartupException;
import org.parley.data.Migrations;
import org.parley.ops.Logging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java -jar parley.jar [--config FILE] [serve|migrate]}. Without a command it serves. Every failure to
 * start ends in one sentence on stderr and a non-zero exit status: 2 for wrong usage or settings, 1 otherwise.
 */
@Command(name = "parley",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Parley: self-hosted discussions. Without a command, runs 'serve'.",
        subcommands = {Main.Serve.class, Main.Migrate.class, PushStaticCommand.class, ShardCommands.Reconcile.class,
                ShardCommands.MoveShard.class, Main.BenchData.class, ImportDisqusCommand.class,
                ExportDisqusCommand.class, SiteCommand.class, BackupCommands.BackupCommand.class,
                BackupCommands.RestoreCommand.class, AotCacheCommands.AotCache.class,
                AotCacheCommands.AotTraining.class},
        footerHeading = "%nSettings (environment variables, or the same names in the --config file):%n")
public final class Main implements Callable<Integer> {
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILED = 1;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Properties file with PARLEY_* settings; the environment overrides it.")
    Path configFile;

    private final Map<String, String> environment;

    Main(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    static int run(String[] args, Map<String, String> environment) {
        var commandLine = new CommandLine(new Main(environment));
        commandLine.getCommandSpec().usageMessage().footer(settingsHelp());
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> fail(e));
        commandLine.setParameterExceptionHandler((e, parsed) -> {
            String problem = e instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-")
                    ? "Unknown command '" + unmatched.getUnmatched().getFirst() + "'; the commands are "
                            + commandNames(commandLine) + "."
                    : e.getMessage();
            System.err.println("parley: " + problem + " Run 'parley --help' for commands and settings.");
            return EXIT_USAGE;
        });
        return commandLine.execute(args);
    }

    /** "serve, migrate and push-static": from the registered subcommands, so the list cannot go stale. */
    private static String commandNames(CommandLine commandLine) {
        var names = new java.util.ArrayList<>(commandLine.getSubcommands().entrySet().stream()
                .filter(command -> !command.getValue().getCommandSpec().usageMessage().hidden())
                .map(Map.Entry::getKey).toList());
        String last = names.removeLast();
        return names.isEmpty() ? last : String.join(", ", names) + " and " + last;
    }

    @Override
    public Integer call() {
        return new Serve(this).call();
    }

    Config loadConfig() {
        Config config = Config.load(ConfigSources.merge(configFile, environment));
        Logging.configure(config.logFormat());
        return config;
    }

    private static int fail(Exception e) {
        Logger log = LoggerFactory.getLogger(Main.class);
        if (e instanceof ConfigException config) {
            for (String problem : config.problems()) {
                System.err.println("parley: " + problem);
            }
            return EXIT_USAGE;
        }
        if (e instanceof StartupException startup) {
            log.debug("Start-up failed", startup);
            System.err.println("parley: " + startup.getMessage());
            return EXIT_FAILED;
        }
        log.error("Parley stopped on an unexpected error", e);
        System.err.println("parley: unexpected error: " + StartupException.rootMessage(e));
        return EXIT_FAILED;
    }

    static String settingsHelp() {
        var out = new StringBuilder();
        for (Setting setting : Setting.values()) {
            out.append(String.format(Locale.ROOT, "  %-30s default: %s%n      %s%n", setting.key(),
                    setting.defaultText().isEmpty() ? "(empty)" : setting.defaultText(), setting.description()));
        }
        return out.toString();
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the web server (the default command). Stops cleanly on Ctrl-C or SIGTERM.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        Serve() {
        }

        Serve(Main parent) {
            this.parent = parent;
        }

        @Override
        public Integer call() {
            Config config = parent.loadConfig();
            Logger log = LoggerFactory.getLogger(Main.class);
            log.info("Starting Parley with:{}", config.describe());
            ParleyServer server = ParleyServer.start(config);
            var stopped = new CountDownLatch(1);
            var stopping = new AtomicBoolean();
            var drainFirst = new AtomicBoolean();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("Stopping Parley");
                if (drainFirst.get()) {
                    server.drainAndClose();
                } else {
                    server.close();
                }
                stopped.countDown();
            }, "parley-shutdown"));

            // SIGTERM and Ctrl-C are the normal way to stop a server: run the shutdown hook, then exit 0.
            // SIGTERM comes from systemd or a deploy script while a balancer sends traffic: drain first.
            // SIGINT is a person at a terminal: stop now (in-flight requests still finish).
            // A second signal of either kind cuts a drain short.
            for (String signal : new String[]{"TERM", "INT"}) {
                boolean drain = "TERM".equals(signal);
                sun.misc.Signal.handle(new sun.misc.Signal(signal), received -> {
                    if (!stopping.compareAndSet(false, true)) {
                        server.cutDrainShort();
                        return;
                    }
                    drainFirst.set(drain);
                    System.exit(0);
                });
            }
            long startupMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            log.info("Parley started in {} ms (JVM start to ready)", startupMs);
            PrintWriter out = new PrintWriter(System.out, true);
            server.createdAdmin().ifPresent(admin -> out.printf(
                    "%n  An administrator account was created. Its password is shown only this once:%n"
                            + "    email:    %s%n    password: %s%n%n", admin.email(), admin.password()));
            out.printf("Parley is ready: open %s%n", config.embedded() ? server.localUrl() : config.publicUrl());
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Apply pending migrations to the main schema and every shard schema, then exit.")
    static final class Migrate implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            Config config = parent.loadConfig();
            try (var infrastructure = Infrastructure.open(config, new MetricRegistry())) {
                int total = config.shardCount();
                var done = new AtomicInteger();
                Migrations.Result result = infrastructure.migrate(shard ->
                        System.out.printf("\rshard schemas migrated: %d/%d", done.incrementAndGet(), total));
                System.out.printf("%nmain + %d shard schemas up to date; %d migrations applied in %d ms%n",
                        result.shardSchemas(), result.mainApplied() + result.shardsApplied(), result.millis());
                return 0;
            }
        }
    }

    @Command(name = "bench-data", mixinStandardHelpOptions = true,
            description = "Migrate, then write a benchmark dataset (sites, threads, comments) straight into the "
                    + "database; see bench/README.md. Threads that exist already are skipped.")
    static final class BenchData implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @CommandLine.Mixin
        DatasetOptions options;

        @Override
        public Integer call() {
            Config config = parent.loadConfig();
            DatasetSpec spec;
            try {
                spec = options.spec();
            } catch (IllegalArgumentException e) {
                System.err.println("parley: " + e.getMessage());
                return EXIT_USAGE;
            }
            if (config.embedded()) {
                System.err.println("parley: bench-data writes into the PostgreSQL named by PARLEY_DB_URL; set it.");
                return EXIT_USAGE;
            }
            try (var infrastructure = Infrastructure.open(config, new MetricRegistry())) {
                infrastructure.migrate(shard -> { });
                new DatasetGenerator(infrastructure.databases(), System.out).generate(spec);
                return 0;
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"Parley " + BuildInfo.version().orElse("development build")};
        }
    }
}
