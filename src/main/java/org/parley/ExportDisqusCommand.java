package org.parley;

import com.codahale.metrics.MetricRegistry;
import org.parley.data.ShardPlacements;
import org.parley.disqus.DisqusExporter;
import org.parley.site.SiteRepository;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;

/** {@code parley export-disqus --site NAME}: a site as a Disqus export (docs/disqus.md). */
@Command(name = "export-disqus", mixinStandardHelpOptions = true,
        description = {"Write a site's threads and comments as a Disqus export (XML), the format Disqus and other "
                + "comment engines import, and that import-disqus reads back.",
                "With --out, the file appears only once it is complete (a name ending in .gz is compressed); "
                        + "without it, the export goes to standard output and progress to standard error."})
final class ExportDisqusCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    Main parent;

    @Option(names = "--site", paramLabel = "NAME", defaultValue = "default",
            description = "The Parley site to export (default: ${DEFAULT-VALUE}).")
    String site;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the export (.xml or .xml.gz).")
    Path out;

    @Override
    public Integer call() {
        Path directory = out == null ? null : out.toAbsolutePath().getParent();
        if (out != null && (Files.isDirectory(out) || directory == null || !Files.isWritable(directory))) {
            System.err.println("parley: cannot write " + out + ": give a file name in a directory you can write to.");
            return Main.EXIT_USAGE;
        }
        PrintStream talk = out == null ? System.err : System.out;
        try (var infrastructure = Infrastructure.open(parent.loadConfig(), new MetricRegistry())) {
            infrastructure.migrateOrRequireMigrated();
            ShardPlacements.apply(infrastructure.databases());
            var exporter = new DisqusExporter(infrastructure.databases());
            long siteId;
            try {
                siteId = new SiteRepository(infrastructure.databases().main()).named(site).id();
            } catch (IllegalArgumentException e) {
                System.err.println("parley: " + e.getMessage());
                return Main.EXIT_USAGE;
            }
            var line = new ProgressLine(talk, System.console() != null);
            long started = System.nanoTime();
            DisqusExporter.Progress progress = (posts, total) -> {
                double share = total == 0 ? 1 : (double) posts / total;
                double seconds = Math.max((System.nanoTime() - started) / 1e9, 0.001);
                line.show(String.format("writing: %3.0f%% %s %,d of %,d comments, %,.0f/s", share * 100,
                        ProgressLine.bar(share), posts, total, posts / seconds), posts >= total);
            };
            DisqusExporter.Summary summary;
            if (out == null) {
                summary = exporter.export(siteId, site, System.out, progress);
                System.out.flush();
            } else {
                summary = writeThenMove(exporter, siteId, progress);
            }
            talk.printf("Exported site %s: %d threads, %d comments%s.%n", site, summary.threads(), summary.posts(),
                    out == null ? "" : " to " + out);
            return 0;
        } catch (IOException e) {
            System.err.println("parley: cannot write " + out + ": " + e.getMessage() + ". Nothing was written.");
            return Main.EXIT_FAILED;
        }
    }

    /** Into a file beside the target, renamed when whole: a failed export leaves no half file under the name. */
    private DisqusExporter.Summary writeThenMove(DisqusExporter exporter, long siteId, DisqusExporter.Progress progress)
            throws IOException {
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try {
            DisqusExporter.Summary summary;
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
                 OutputStream sink = out.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(file, 1 << 16)
                         : file) {
                summary = exporter.export(siteId, site, sink, progress);
            }
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return summary;
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
