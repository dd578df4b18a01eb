package org.parley.disqus;

import org.jooq.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.data.Databases;
import org.parley.discussion.CommentForm;
import org.parley.discussion.CommentThread;
import org.parley.discussion.CommentView.State;
import org.parley.discussion.ThreadRepository;
import org.parley.discussion.ThreadVersions;
import org.parley.discussion.ThreadWrites;
import org.parley.moderation.ContentModeration;
import org.parley.moderation.ModerationService;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.THREAD;

/**
 * {@code import(export(site))} into an empty site gives the same site back: every thread (key, address, title,
 * closed) and every comment with its parent, author, email, address, time (to the second, as the format carries
 * it), state, tombstone, text and order, compared field by field between the two sites' rows.
 */
class DisqusRoundTripIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static Databases db;
    private static Site source;

    @TempDir
    Path dir;

    @BeforeAll
    static void aSiteWithEveryKindOfComment() {
        db = server.parley().databases();
        var sites = new SiteRepository(db.main());
        sites.create("roundtrip-source", "Round trip", List.of(TestServer.ORIGIN));
        source = sites.byName("roundtrip-source").orElseThrow();
        var accounts = new AccountRepository(db.main());
        Account mod = accounts.byId(accounts.create("rt-mod@example.com", "Mod", "x").orElseThrow()).orElseThrow();
        var versions = new ThreadVersions(server.parley().cache());
        var moderation = new ModerationService(db, versions);
        var threads = new ThreadRepository(db);

        CommentThread post = threads.findOrCreate(source.id(), "first-post", "https://blog.example/first-post/",
                "First post & more");
        long hello = say(post, null, "Hello **world**, see [the docs](https://example.org/docs).", "Ann",
                "ann@example.org", "203.0.113.5");
        long thanks = say(post, hello, "Thanks *Ann*.\n\nA second paragraph with `code`.", "Bob", null,
                "2001:db8::7");
        say(post, thanks, "A reply three deep <script>alert(1)</script>", "Cy", "cy@example.org", "127.0.0.1");
        long removed = say(post, null, "Said something, then thought better of it.", "Dee", null, "127.0.0.1");
        say(post, removed, "Replying to what is now a tombstone.", "Eve", null, "127.0.0.1");
        long spam = say(post, null, "Buy cheap watches", "Spammer", "spam@example.net", "198.51.100.9");
        long held = say(post, null, "Waiting for a moderator.", "Fay", null, "127.0.0.1");
        long leaf = say(post, null, "A deleted leaf.", "Gus", null, "127.0.0.1");
        moderation.act(mod, Set.of(source.id()), removed, ModerationService.Action.REJECT, State.APPROVED);
        moderation.act(mod, Set.of(source.id()), spam, ModerationService.Action.SPAM, State.APPROVED);
        moderation.act(mod, Set.of(source.id()), held, ModerationService.Action.HOLD, State.APPROVED);
        moderation.act(mod, Set.of(source.id()), leaf, ModerationService.Action.REJECT, State.APPROVED);

        CommentThread closed = threads.findOrCreate(source.id(), "closed-thread", "https://blog.example/closed/",
                "An old thread");
        say(closed, null, "Before it closed. Ünïcödé ✓ & <angle> brackets", "Hal", null, "127.0.0.1");
        new ContentModeration(db, versions, sites).setThread(mod, Set.of(source.id()), closed.id(),
                ContentModeration.ThreadState.CLOSED, null);

        threads.findOrCreate(source.id(), "nobody-commented", "https://blog.example/quiet/", "Quiet");
    }

    @Test
    void anExportImportedIntoAnEmptySiteGivesTheSameThreadsAndComments() throws IOException {
        Path file = export("roundtrip.xml");
        var sites = new SiteRepository(db.main());
        sites.create("roundtrip-copy", "Copy", List.of(TestServer.ORIGIN));
        long copy = sites.byName("roundtrip-copy").orElseThrow().id();

        DisqusImporter.Summary summary = importer().run(file, copy, "test", quietly());

        assertThat(summary.notes()).isEmpty();
        assertThat(summary.added()).isEqualTo(9);
        assertThat(threads(copy)).isEqualTo(threads(source.id()));
        List<Comment> before = comments(source.id());
        List<Comment> after = comments(copy);
        assertThat(after).hasSize(9);
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i)).as("comment %d of %d, in page order", i + 1, before.size())
                    .usingRecursiveComparison().isEqualTo(before.get(i));
        }
        assertThat(after).extracting(Comment::state).containsExactly("approved", "approved", "approved", "approved", "deleted",
                "approved", "spam", "pending", "deleted");
    }

    @Test
    void importingTheExportAgainAddsNothing() throws IOException {
        Path file = export("again.xml.gz");
        var sites = new SiteRepository(db.main());
        sites.create("roundtrip-twice", "Twice", List.of(TestServer.ORIGIN));
        long twice = sites.byName("roundtrip-twice").orElseThrow().id();

        importer().run(file, twice, "test", quietly());
        DisqusImporter.Summary again = importer().run(file, twice, "test", quietly());

        assertThat(again.added()).isZero();
        assertThat(again.updated()).isZero();
        assertThat(again.unchanged()).isEqualTo(9);
    }

    @Test
    void theExportIsADisqusFileWithThreadsBeforePosts() throws IOException {
        String xml = Files.readString(export("look.xml"));

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .contains("<disqus xmlns=\"http://disqus.com\" xmlns:dsq=\"http://disqus.com/disqus-internals\">",
                        "<forum>roundtrip-source</forum>", "<id>first-post</id>", "<isClosed>true</isClosed>",
                        "<isApproved>false</isApproved>", "<ipAddress>2001:db8::7</ipAddress>",
                        "Ünïcödé ✓ &amp; &lt;angle&gt;")
                .doesNotContain("<script>");
        assertThat(xml.lastIndexOf("<isClosed>")).as("the last thread").isLessThan(xml.indexOf("<post dsq:id"));
        assertThat(xml).containsPattern("<createdAt>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</createdAt>");
    }

    /** A thread as the page and the importer know it; the id differs between sites. */
    record ThreadRow(String key, String url, String title, boolean closed, int comments) {
    }

    /**
     * A comment's fields that must survive; parent and thread by position, as ids differ between sites. The HTML
     * without the renderer's final line break: readers of the format strip a message's ends.
     */
    record Comment(String thread, Integer parentIndex, int depth, String name, String email, String ip,
                   java.time.OffsetDateTime createdAt, String state, String html, String source, int replies,
                   boolean shadow) {
    }

    private static Map<String, ThreadRow> threads(long siteId) {
        Map<String, ThreadRow> rows = new HashMap<>();
        for (int shard = 0; shard < db.shardMap().shardCount(); shard++) {
            db.write(shard).select(THREAD.KEY, THREAD.URL, THREAD.TITLE, THREAD.CLOSED, THREAD.COMMENT_COUNT)
                    .from(THREAD).where(THREAD.SITE_ID.eq(siteId))
                    .forEach(r -> rows.put(r.value1(), new ThreadRow(r.value1(), r.value2(), r.value3(), r.value4(),
                            r.value5())));
        }
        return rows;
    }

    /** The site's comments in page order (thread key, then path), with parents given by position. */
    private static List<Comment> comments(long siteId) {
        List<Record> rows = new ArrayList<>();
        for (int shard = 0; shard < db.shardMap().shardCount(); shard++) {
            rows.addAll(db.write(shard).select(THREAD.KEY, COMMENT.ID, COMMENT.PARENT_ID, COMMENT.DEPTH,
                            COMMENT.AUTHOR_NAME, COMMENT.AUTHOR_EMAIL, COMMENT.IP, COMMENT.CREATED_AT, COMMENT.STATE,
                            COMMENT.BODY_HTML, COMMENT.BODY_SOURCE, COMMENT.REPLY_COUNT, COMMENT.SHADOW, COMMENT.PATH)
                    .from(COMMENT).join(THREAD).on(THREAD.ID.eq(COMMENT.THREAD_ID))
                    .where(COMMENT.SITE_ID.eq(siteId)).fetch());
        }
        rows.sort(java.util.Comparator.comparing((Record r) -> r.get(THREAD.KEY)).thenComparing(r -> r.get(COMMENT.PATH)));
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            index.put(rows.get(i).get(COMMENT.ID), i);
        }
        return rows.stream().map(r -> new Comment(r.get(THREAD.KEY),
                r.get(COMMENT.PARENT_ID) == null ? null : index.get(r.get(COMMENT.PARENT_ID)), r.get(COMMENT.DEPTH),
                r.get(COMMENT.AUTHOR_NAME), r.get(COMMENT.AUTHOR_EMAIL), String.valueOf(r.get(COMMENT.IP)),
                r.get(COMMENT.CREATED_AT).truncatedTo(ChronoUnit.SECONDS), r.get(COMMENT.STATE),
                r.get(COMMENT.BODY_HTML).strip(), r.get(COMMENT.BODY_SOURCE), r.get(COMMENT.REPLY_COUNT),
                r.get(COMMENT.SHADOW))).toList();
    }

    private Path export(String name) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = name.endsWith(".gz")
                ? new java.util.zip.GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            new DisqusExporter(db).export(source.id(), source.name(), out, (posts, total) -> { });
        }
        return file;
    }

    private static long say(CommentThread thread, Long parent, String text, String name, String email, String ip) {
        return server.comments().post(source, thread, null, new CommentForm(text, parent, name, email), ip).id();
    }

    private static DisqusImporter importer() {
        return new DisqusImporter(db, new ThreadWrites(db, new ThreadVersions(server.parley().cache())));
    }

    private static DisqusImporter.Progress quietly() {
        return new DisqusImporter.Progress() {
            @Override
            public void reading(long posts, double fileShare) {
            }

            @Override
            public void applying(int threadsDone, int threads) {
            }
        };
    }
}
