package org.parley;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code parley export-disqus} as an operator runs it: to a file (compressed by its name, there only when whole)
 * or to standard output, with progress and a summary, and read back by {@code import-disqus} into another site.
 */
class ExportDisqusCommandIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @TempDir
    static Path dir;

    @Test
    void aSiteIsExportedToAFileThatImportsIntoAnotherSite() throws IOException {
        var sites = new SiteRepository(server.parley().databases().main());
        sites.create("pod-out", "Podcast", List.of(TestServer.ORIGIN));
        sites.create("pod-in", "Podcast copy", List.of(TestServer.ORIGIN));
        assertThat(parley("import-disqus", fixture("podcast.xml").toString(), "--site", "pod-out").status()).isZero();
        Path out = dir.resolve("pod.xml.gz");

        CommandRun export = parley("export-disqus", "--site", "pod-out", "--out", out.toString());

        assertThat(export.status()).as(export.stderr()).isZero();
        assertThat(export.stdout()).contains("writing: 100%", "5 of 5 comments",
                "Exported site pod-out: 2 threads, 5 comments to " + out);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).doesNotContain("pod.xml.gz.partial");
        CommandRun back = parley("import-disqus", out.toString(), "--site", "pod-in");
        assertThat(back.stdout()).as(back.stderr()).contains("2 threads (2 new, 1 closed); comments: 5 added, "
                + "0 updated, 0 unchanged; 1 tombstones, 1 spam; 0 items skipped.");
    }

    @Test
    void withoutOutTheExportGoesToStandardOutputAndTheTalkToStandardError() {
        CommandRun run = parley("export-disqus");

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").endsWith("</disqus>\n")
                .doesNotContain("Exported");
        assertThat(run.stderr()).contains("Exported site default:");
    }

    @Test
    void anUnknownSiteAndAnUnwritablePlaceAreRefusedClearly() {
        CommandRun unknown = parley("export-disqus", "--site", "elsewhere");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("There is no site named 'elsewhere'; the sites are ");

        CommandRun directory = parley("export-disqus", "--out", dir.toString());
        assertThat(directory.status()).isEqualTo(2);
        assertThat(directory.stderr()).contains("cannot write", "give a file name");

        CommandRun nowhere = parley("export-disqus", "--out", dir.resolve("no/such/dir/x.xml").toString());
        assertThat(nowhere.status()).isEqualTo(2);
        assertThat(nowhere.stderr()).doesNotContain("Exception");
    }

    @Test
    void helpDescribesTheCommand() {
        CommandRun help = parley("export-disqus", "--help");

        assertThat(help.status()).isZero();
        assertThat(help.stdout()).contains("Usage: parley export-disqus", "--site=NAME", "--out=FILE", ".gz");
    }

    private static CommandRun parley(String... args) {
        return CommandRun.of(new HashMap<>(server.settings()), args);
    }

    private static Path fixture(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = ExportDisqusCommandIT.class.getResourceAsStream("/disqus/" + name)) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
