package org.parley;

import com.codahale.metrics.MetricRegistry;
import org.parley.data.ShardPlacements;
import org.parley.discussion.ThreadVersions;
import org.parley.discussion.ThreadWrites;
import org.parley.disqus.DisqusImporter;
import org.parley.disqus.ExportFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code parley import-disqus FILE}: a site's history from its Disqus export (docs/disqus.md). */
@Command(name = "import-disqus", mixinStandardHelpOptions = true,
        description = {"Import a Disqus export (.xml or .xml.gz) into a site: threads, comments, replies, deleted "
                + "and spam comments, closed threads, with their original times.",
                "Safe to run again, also with a later export: what was imported before is recognised by its Disqus "
                        + "id; changed messages, deletions and spam marks are updated, nothing is added twice.",
                "Each thread is imported whole or not at all. Stop a Parley running on the embedded database first "
                        + "(the import opens that database itself); with PARLEY_DB_URL it may run beside live instances."})
final class ImportDisqusCommand implements Callable<Integer> {
    /** How many notes the summary prints; all of them are kept in main.disqus_import_note. */
    private static final int NOTES_SHOWN = 50;

    @CommandLine.ParentCommand
    Main parent;

    @Parameters(paramLabel = "FILE", description = "The export Disqus mailed you (.xml or .xml.gz).")
    Path file;

    @Option(names = "--site", paramLabel = "NAME", defaultValue = "default",
            description = "The Parley site to import into (default: ${DEFAULT-VALUE}).")
    String site;

    @Option(names = "--url-map", paramLabel = "CSV",
            description = "For a site whose pages moved: lines of OLD_URL,NEW_URL. Threads are matched to the site's "
                    + "threads (and keep their address) by the new URL.")
    Path urlMap;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "" + DisqusImporter.DEFAULT_JOBS,
            description = "Threads applied at once, each in its own transaction (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Override
    public Integer call() {
        if (jobs < 1 || jobs > 64) {
            System.err.println("parley: --jobs must be 1 to 64, got " + jobs + ".");
            return Main.EXIT_USAGE;
        }
        PrintStream out = System.out;
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            System.err.println("parley: cannot read " + file + ": give the path of the export file.");
            return Main.EXIT_USAGE;
        }
        java.util.Map<String, String> moved;
        try {
            moved = urlMap == null ? java.util.Map.of() : readUrlMap(urlMap);
        } catch (IllegalArgumentException e) {
            System.err.println("parley: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        var metrics = new MetricRegistry();
        Config config = parent.loadConfig();
        try (var infrastructure = Infrastructure.open(config, metrics)) {
            infrastructure.migrateOrRequireMigrated();
            ShardPlacements.apply(infrastructure.databases());
            // with PARLEY_MEMCACHED or PARLEY_REDIS_URL, live instances hear each thread's new version at once, as after any write
            // and with an edge, each imported thread's purge waits in the outbox for a running instance to send it
            var versions = new ThreadVersions(infrastructure.openCache(metrics),
                    org.parley.edge.EdgePurges.of(config.edge(), () -> { }));
            var importer = new DisqusImporter(infrastructure.databases(),
                    new ThreadWrites(infrastructure.databases(), versions), jobs);
            long siteId;
            try {
                siteId = importer.siteId(site);
            } catch (IllegalArgumentException e) {
                System.err.println("parley: " + e.getMessage());
                return Main.EXIT_USAGE;
            }
            out.printf("Importing %s into site %s%n", file, site);
            DisqusImporter.Summary s;
            try {
                s = importer.run(file, siteId, "command line (" + System.getProperty("user.name") + ")", moved,
                        new TerminalProgress(out, System.console() != null));
            } catch (ExportFormatException e) {
                System.err.printf("%nparley: %s. Nothing was imported.%n", e.getMessage());
                return Main.EXIT_FAILED;
            }
            out.printf("%nImport %d done in %.1f s (reading %.1f s): %d threads (%d new, %d closed); comments: %d added, %d updated, "
                            + "%d unchanged; %d tombstones, %d spam; %d items skipped.%n", s.importId(),
                    s.millis() / 1000.0, s.readMillis() / 1000.0, s.threads(), s.threadsCreated(), s.closedThreads(), s.added(), s.updated(),
                    s.unchanged(), s.tombstones(), s.spam(), s.skipped());
            s.notes().stream().limit(NOTES_SHOWN).forEach(n -> out.printf("  line %d, %s: %s%s%n", n.line(),
                    n.element(), n.kept() ? "" : "skipped: ", n.reason()));
            if (s.notes().size() > NOTES_SHOWN) {
                out.printf("  … and %d more, in main.disqus_import_note (import_id %d)%n",
                        s.notes().size() - NOTES_SHOWN, s.importId());
            }
            return 0;
        }
    }

    /** OLD_URL,NEW_URL per line; blank lines and lines starting with # are read past. */
    static java.util.Map<String, String> readUrlMap(Path csv) {
        java.util.List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the URL map " + csv + ": " + e.getMessage());
        }
        java.util.Map<String, String> moved = new java.util.LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] pair = line.split(",", 2);
            if (pair.length != 2 || !isWebAddress(pair[0].strip()) || !isWebAddress(pair[1].strip())) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": expected OLD_URL,NEW_URL with two "
                        + "http(s) addresses, got '" + line + "'");
            }
            moved.put(pair[0].strip(), pair[1].strip());
        }
        return moved;
    }

    private static boolean isWebAddress(String text) {
        return text.matches("(?i)https?://[^\\s,]+");
    }

    /** Reading, then applying, each as a {@link ProgressLine} with a bar. */
    static final class TerminalProgress implements DisqusImporter.Progress {
        private final ProgressLine line;
        private final long started = System.nanoTime();

        TerminalProgress(PrintStream out, boolean terminal) {
            this.line = new ProgressLine(out, terminal);
        }

        @Override
        public void reading(long posts, double fileShare) {
            double seconds = Math.max((System.nanoTime() - started) / 1e9, 0.001);
            long eta = fileShare <= 0 ? 0 : Math.round(seconds / fileShare - seconds);
            line.show(String.format("reading: %3.0f%% %s %,d posts, %,.0f posts/s, about %d s left",
                    fileShare * 100, ProgressLine.bar(fileShare), posts, posts / seconds, eta), fileShare >= 1);
        }

        @Override
        public void applying(int threadsDone, int threads) {
            double share = threads == 0 ? 1 : (double) threadsDone / threads;
            line.show(String.format("applying: %3.0f%% %s %,d of %,d threads", share * 100, ProgressLine.bar(share),
                    threadsDone, threads), threadsDone == threads);
        }
    }
}
