package org.parley.disqus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.data.Databases;
import org.parley.discussion.CounterReconciliation;
import org.parley.discussion.ThreadUrls;
import org.parley.discussion.ThreadWrites;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Imports the three fixture exports (src/test/resources/disqus/README.md) into real PostgreSQL and checks what a
 * site owner relies on: exact thread, comment, tombstone and spam counts, the notes with their lines, the pages
 * that show the history, a second run adding nothing, a later export updating what changed, and counters that
 * the reconciliation job finds nothing to repair in.
 */
class DisqusImportIT {
    private static final AtomicInteger SITES = new AtomicInteger();

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @TempDir
    Path dir;

    @Test
    void aSmallBlogsExportBecomesItsThreadWithTheReplyInPlaceAndTheOrphansNoted() throws IOException {
        String site = newSite();

        DisqusImporter.Summary s = importInto(site, fixture("small-blog.xml"));

        assertThat(s.threads()).isEqualTo(1);
        assertThat(s.added()).isEqualTo(2);
        assertThat(s.updated() + s.unchanged() + s.tombstones() + s.spam()).isZero();
        assertThat(s.notes()).containsExactly(
                new ImportNote(27, "thread 21", "it has neither an identifier nor a link, so no page can show it", false),
                new ImportNote(64, "post 32", "its thread 1337 is not in the export", false));
        String page = server.client().get(ThreadUrls.standalone(site, "hello-world")).body();
        assertThat(page).contains("Hello, World!", "First!", "<strong>World</strong> &amp; friends.", "A User");
        assertThat(page.indexOf("First!")).isLessThan(page.indexOf("friends."));
        assertThat(countSql("SELECT count(*) FROM main.disqus_import_note n JOIN main.disqus_import i"
                + " ON i.id = n.import_id WHERE i.id = " + s.importId())).isEqualTo(2);
    }

    @Test
    void aPodcastsHistoryKeepsItsTombstoneSpamClosedThreadAndOriginalOrder() throws IOException {
        String site = newSite();

        DisqusImporter.Summary s = importInto(site, fixture("podcast.xml"));

        assertThat(s.threads()).isEqualTo(2);
        assertThat(s.threadsCreated()).isEqualTo(2);
        assertThat(s.closedThreads()).isEqualTo(1);
        assertThat(s.added()).isEqualTo(5);
        assertThat(s.tombstones()).isEqualTo(1);
        assertThat(s.spam()).isEqualTo(1);
        assertThat(s.notes()).isEmpty();

        String archive = server.client().get(ThreadUrls.standalone(site,
                "http://www.podcast.example.com/p/2011/03/05/podcast-229/")).body();
        assertThat(archive).contains("Согласен, отличный выпуск.", "А мне не понравилось.", "class=\"comment removed\" data-depth=\"0")
                .doesNotContain("Спасибо за выпуск!", "Недавно посмотрел", "spam.example.net");
        assertThat(archive.indexOf("Согласен")).isLessThan(archive.indexOf("А мне не понравилось"));
        assertThat(archive).contains("closed");
        String byLink = server.client().get(ThreadUrls.standalone(site,
                "http://podcast.example.com/2011/03/229_8880.html")).body();
        assertThat(byLink).contains("Первый комментарий к старому выпуску.");
        assertThat(countSql("SELECT count(*) FROM main.disqus_import_post")).as("staging emptied").isZero();
        assertThat(repairsNeeded()).as("counters the reconciliation job would repair").isZero();
        assertThat(countSql(shardSql(site, "http://www.podcast.example.com/p/2011/03/05/podcast-229/",
                "SELECT count(*) FROM %s.comment c JOIN %s.thread t ON t.id = c.thread_id WHERE t.key = '%s'"
                        + " AND c.created_at = '2011-03-08T10:30:00Z'"))).as("the original time is kept").isEqualTo(1);
    }

    @Test
    void aSecondRunAddsNothingAndALaterExportUpdatesWhatChanged() throws IOException {
        String site = newSite();
        Path first = fixture("podcast.xml");
        importInto(site, first);

        DisqusImporter.Summary again = importInto(site, first);
        assertThat(again.added()).isZero();
        assertThat(again.updated()).isZero();
        assertThat(again.unchanged()).isEqualTo(5);

        String archivePath = ThreadUrls.standalone(site, "http://www.podcast.example.com/p/2011/03/05/podcast-229/");
        assertThat(server.client().get(archivePath).body()).as("viewed, so cached at its version")
                .contains("А мне не понравилось.");
        String later = Files.readString(first)
                .replace("А мне не понравилось.", "Передумал: понравилось.")
                .replace("<isSpam>true</isSpam>", "<isSpam>false</isSpam>");
        Path laterFile = dir.resolve("later.xml");
        Files.writeString(laterFile, later);
        DisqusImporter.Summary update = importInto(site, laterFile);

        assertThat(update.added()).isZero();
        assertThat(update.updated()).isEqualTo(2);
        assertThat(update.unchanged()).isEqualTo(3);
        String archive = server.client().get(ThreadUrls.standalone(site,
                "http://www.podcast.example.com/p/2011/03/05/podcast-229/")).body();
        assertThat(archive).contains("Передумал: понравилось.", "Недавно посмотрел")
                .doesNotContain("А мне не понравилось.");
        assertThat(repairsNeeded()).isZero();
    }

    @Test
    void aHandEditedGzippedFileImportsWhatItCanAndNotesTheRestByLine() throws IOException {
        String site = newSite();
        Path gz = dir.resolve("hand-edited.xml.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz));
             InputStream in = resource("hand-edited.xml")) {
            in.transferTo(out);
        }

        DisqusImporter.Summary s = importInto(site, gz);

        assertThat(s.threads()).isEqualTo(2);
        assertThat(s.added()).isEqualTo(3);
        assertThat(s.notes()).containsExactly(
                new ImportNote(10, "post 1001", "its createdAt 'yesterday' is not a date", false),
                new ImportNote(11, "post 1002", "it names no thread", false),
                new ImportNote(12, "post 1003", "its parent 999 is not in the export: kept as a top-level comment", true),
                new ImportNote(13, "post 1000", "the same dsq:id as an earlier post: the first is imported", false));
        assertThat(s.skipped()).isEqualTo(3);
        String notes = server.client().get(ThreadUrls.standalone(site, "notes/first")).body();
        assertThat(notes).contains("First &amp; foremost", "<em>HTML</em> &amp; an entity: café", "My parent is gone")
                .doesNotContain("The same id again");
        assertThat(server.client().get(ThreadUrls.standalone(site, "travel/lisbon")).body()).contains("Olá");
    }

    /** A site that ran Parley first: its thread keeps its own comments and gains the history before them. */
    @Test
    void aThreadParleyAlreadyHasGainsTheHistoryBeforeItsOwnComments() throws IOException, InterruptedException {
        String site = newSite();
        var threads = new org.parley.discussion.ThreadRepository(server.parley().databases());
        var thread = threads.findOrCreate(siteIdOf(site), "hello-world", "http://blog.example.org/hello-world/",
                "Hello from Parley");
        Thread.sleep(10); // a visitor posts once the page that made the thread has shown: never in its millisecond
        server.post(thread, null, "Written in Parley after the move.");

        DisqusImporter.Summary s = importInto(site, fixture("small-blog.xml"));

        assertThat(s.threadsCreated()).isZero();
        assertThat(s.added()).isEqualTo(2);
        String page = server.client().get(ThreadUrls.standalone(site, "hello-world")).body();
        assertThat(page).contains("First!", "friends.", "Written in Parley after the move.");
        assertThat(page.indexOf("First!")).isLessThan(page.indexOf("Written in Parley"));
        assertThat(repairsNeeded()).isZero();
    }

    /** A popular article: more posts than one SQL statement may carry values for (65 535). */
    @Test
    void aThreadOfTwentyFiveThousandPostsImportsWholeAndAgain() throws IOException {
        String site = newSite();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<disqus xmlns:dsq=\"x\">\n"
                + "<thread dsq:id=\"1\"><id>hot</id><link>https://example.org/hot</link><title>Hot</title></thread>\n");
        int posts = 25_000;
        for (int i = 0; i < posts; i++) {
            xml.append("<post dsq:id=\"").append(10_000 + i).append("\"><message>Post ").append(i)
                    .append("</message><createdAt>2016-01-01T00:00:00Z</createdAt><thread dsq:id=\"1\"/>")
                    .append(i % 3 == 1 ? "<parent dsq:id=\"" + (10_000 + i - 1) + "\"/>" : "").append("</post>\n");
        }
        Path file = dir.resolve("hot.xml");
        Files.writeString(file, xml.append("</disqus>\n"));

        DisqusImporter.Summary first = importInto(site, file);
        DisqusImporter.Summary again = importInto(site, file);

        assertThat(first.added()).isEqualTo(posts);
        assertThat(first.notes()).isEmpty();
        assertThat(again.added()).isZero();
        assertThat(again.unchanged()).isEqualTo(posts);
        assertThat(repairsNeeded()).isZero();
    }

    @Test
    void theConsoleListsEachImportWithWhatItSkippedByLine() throws IOException {
        String site = newSite();
        DisqusImporter.Summary s = importInto(site, fixture("small-blog.xml"));
        var admin = server.signedUp("import-admin@example.com", "Import Admin");
        server.mainSql("UPDATE main.account SET is_admin = true WHERE email = 'import-admin@example.com'");

        String list = admin.get("/admin/imports").body();
        String one = admin.get("/admin/imports/" + s.importId()).body();

        assertThat(list).contains("small-blog.xml", site, "/admin/imports/" + s.importId());
        assertThat(one).contains("small-blog.xml", "2 added, 0 updated, 0 unchanged", "<dd id=\"skipped\">2</dd>",
                "<td>27</td>", "thread 21", "it has neither an identifier nor a link",
                "<td>64</td>", "its thread 1337 is not in the export");
        assertThat(server.client().get("/admin/imports").statusCode()).as("guests are sent to sign in").isEqualTo(302);
    }

    @Test
    void aBrokenFileImportsNothingAndSaysWhere() throws IOException {
        String site = newSite();
        Path broken = dir.resolve("broken.xml");
        Files.writeString(broken, "<?xml version=\"1.0\"?>\n<disqus>\n<thread dsq:id=\"1\"><id>k</id>\n"
                + "<post dsq:id=\"2\"><message>cut", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> importInto(site, broken)).isInstanceOf(ExportFormatException.class)
                .hasMessageContaining("line 4");
        assertThat(countSql("SELECT count(*) FROM main.disqus_import_post")).isZero();
        assertThat(server.client().get(ThreadUrls.standalone(site, "k")).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownSiteIsNamedWithTheSitesThereAre() {
        var importer = importer();

        assertThatThrownBy(() -> importer.siteId("nope"))
                .hasMessageStartingWith("There is no site named 'nope'; the sites are ")
                .hasMessageContaining("default");
    }

    private DisqusImporter.Summary importInto(String site, Path file) {
        var importer = importer();
        return importer.run(file, importer.siteId(site), "test", new DisqusImporter.Progress() {
            @Override
            public void reading(long posts, double fileShare) {
            }

            @Override
            public void applying(int threadsDone, int threads) {
            }
        });
    }

    private static DisqusImporter importer() {
        Databases databases = server.parley().databases();
        // the server's own cache, as the command's with PARLEY_MEMCACHED: pages must follow a re-import at once
        return new DisqusImporter(databases, new ThreadWrites(databases,
                new org.parley.discussion.ThreadVersions(server.parley().cache())));
    }

    private static String newSite() {
        String name = "import-" + SITES.incrementAndGet();
        new SiteRepository(server.parley().databases().main()).create(name, "Imported " + name,
                List.of(TestServer.ORIGIN));
        return name;
    }

    private Path fixture(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = resource(name)) {
            Files.copy(in, file);
        }
        return file;
    }

    private static InputStream resource(String name) {
        return DisqusImportIT.class.getResourceAsStream("/disqus/" + name);
    }

    private static long repairsNeeded() {
        var job = new CounterReconciliation(server.parley().databases(), CounterReconciliation.DEFAULT_BATCH, true,
                (thread, version) -> { });
        return job.runAll(r -> { }).stream().mapToLong(r -> r.fixes().size()).sum();
    }

    private static String shardSql(String site, String key, String template) {
        var thread = new org.parley.discussion.ThreadRepository(server.parley().databases())
                .find(siteIdOf(site), key).orElseThrow();
        String schema = org.parley.data.ShardRouter.schemaOf(thread.shard());
        return template.formatted(schema, schema, key);
    }

    private static long siteIdOf(String site) {
        return importer().siteId(site);
    }

    private static long countSql(String sql) {
        return server.parley().databases().main().fetchValue(sql) instanceof Number n ? n.longValue() : -1;
    }
}
