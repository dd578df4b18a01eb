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

/** {@code parley import-disqus} as an operator runs it: the summary, the progress lines, and clear refusals. */
class ImportDisqusCommandIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @TempDir
    static Path dir;

    @Test
    void anExportIsImportedWithProgressAndASummary() throws IOException {
        new SiteRepository(server.parley().databases().main()).create("podcast", "Podcast", List.of(TestServer.ORIGIN));

        CommandRun run = parley("import-disqus", fixture("podcast.xml").toString(), "--site", "podcast");

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Importing", "reading: 100%", "5 posts", "applying: 100%", "2 of 2 threads",
                "2 threads (2 new, 1 closed); comments: 5 added, 0 updated, 0 unchanged; 1 tombstones, 1 spam; "
                        + "0 items skipped.");

        CommandRun again = parley("import-disqus", fixture("podcast.xml").toString(), "--site", "podcast");
        assertThat(again.stdout()).contains("comments: 0 added, 0 updated, 5 unchanged");
    }

    @Test
    void whatCannotBeImportedIsListedWithItsLine() throws IOException {
        CommandRun run = parley("import-disqus", fixture("small-blog.xml").toString());

        assertThat(run.status()).isZero();
        assertThat(run.stdout()).contains("line 27, thread 21: skipped: it has neither an identifier nor a link",
                "line 64, post 32: skipped: its thread 1337 is not in the export");
    }

    @Test
    void aMissingFileAnUnknownSiteAndABrokenFileAreRefusedClearly() throws IOException {
        CommandRun missing = parley("import-disqus", dir.resolve("nope.xml").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.stderr()).contains("cannot read", "nope.xml");

        CommandRun unknownSite = parley("import-disqus", fixture("small-blog.xml").toString(), "--site", "elsewhere");
        assertThat(unknownSite.status()).isEqualTo(2);
        assertThat(unknownSite.stderr()).contains("There is no site named 'elsewhere'; the sites are ");

        Path broken = dir.resolve("broken.xml");
        Files.writeString(broken, "<?xml version=\"1.0\"?>\n<disqus>\n<post dsq:id=\"1\"><message>a < b</message>");
        CommandRun brokenRun = parley("import-disqus", broken.toString());
        assertThat(brokenRun.status()).isEqualTo(1);
        assertThat(brokenRun.stderr()).contains("not well-formed XML", "line 3", "Nothing was imported.")
                .doesNotContain("Exception", "\tat ");
    }

    /** A site that moved: its Parley threads have the new addresses; the export knows the old ones. */
    @Test
    void aUrlMapMatchesTheExportsOldAddressesToTheSitesThreads() throws IOException {
        var sites = new SiteRepository(server.parley().databases().main());
        long siteId = sites.create("moved", "Moved", List.of(TestServer.ORIGIN));
        new org.parley.discussion.ThreadRepository(server.parley().databases())
                .findOrCreate(siteId, "ep-229-new", "https://new.example/ep/229", "Episode 229");
        Path map = dir.resolve("moved.csv");
        Files.writeString(map, "# old,new\nhttp://podcast.example.com/2011/03/229_8880.html,https://new.example/ep/229\n");

        CommandRun run = parley("import-disqus", fixture("podcast.xml").toString(), "--site", "moved", "--url-map",
                map.toString());

        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("2 threads (1 new, 1 closed)");
        String page = server.client().get(org.parley.discussion.ThreadUrls.standalone("moved", "ep-229-new")).body();
        assertThat(page).contains("Первый комментарий к старому выпуску.");

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "https://a.example/x,https://b.example/y\nnot a pair\n");
        CommandRun refused = parley("import-disqus", fixture("podcast.xml").toString(), "--site", "moved", "--url-map",
                bad.toString());
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.stderr()).contains("bad.csv line 2: expected OLD_URL,NEW_URL", "'not a pair'");
    }

    @Test
    void helpDescribesTheCommand() {
        CommandRun help = parley("import-disqus", "--help");

        assertThat(help.status()).isZero();
        assertThat(help.stdout()).contains("Usage: parley import-disqus", "--site=NAME", "--url-map=CSV", "--jobs=N",
                "FILE", "whole or not at all");
    }

    private static CommandRun parley(String... args) {
        return CommandRun.of(new HashMap<>(server.settings()), args);
    }

    private static Path fixture(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = ImportDisqusCommandIT.class.getResourceAsStream("/disqus/" + name)) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
