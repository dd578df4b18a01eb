package org.parley.comment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;
import org.parley.thread.CommentThread;
import org.parley.thread.ThreadRepository;
import org.parley.web.HttpError;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Partitions older than PARLEY_HISTORICAL_AFTER_MONTHS are historical: a thread and comments from then (here an
 * import from early 2024, which lands in the oldest partition) can be read, but not commented on, voted on,
 * edited or deleted — each refusal says why — while a recent thread takes comments as always.
 */
class HistoricalIT {
    private static final Instant LONG_AGO = Instant.parse("2024-03-10T12:00:00Z");
    private static TestServer server;
    private static CommentThread old;
    private static long oldComment;
    private static Account reader;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("PARLEY_HISTORICAL_AFTER_MONTHS", "12"));
        var accounts = new AccountRepository(server.parley().databases().main());
        reader = accounts.byId(accounts.create("reader@example.com", "Reader", "x").orElseThrow()).orElseThrow();
        // as an import would write them: IDs made from the original time, so they sort (and partition) by it
        String key = "imported-2024";
        long siteId = server.site().id();
        int shard = new ShardRouter(8).shardOf(siteId, key);
        String s = ShardRouter.schemaOf(shard);
        long threadId = Ids.lowestAt(LONG_AGO) | ((long) shard << Ids.SEQUENCE_BITS) | 1;
        oldComment = threadId + 1;
        var db = server.parley().databases().write(shard);
        db.execute("INSERT INTO " + s + ".thread (id, site_id, key, url, title, comment_count) VALUES (?, ?, ?, ?, ?, 1)",
                threadId, siteId, key, TestServer.ORIGIN + "/" + key, "Imported");
        db.execute("INSERT INTO " + s + ".comment (id, thread_id, site_id, root_id, path, depth, author_name,"
                + " author_avatar, body_source, body_html) VALUES (?, ?, ?, ?, lpad(to_hex(?::bigint), 16, '0'), 0,"
                + " 'Ada', '0123456789abcdef', 'From the archive', '<p>From the archive</p>')",
                oldComment, threadId, siteId, oldComment, oldComment);
        old = new ThreadRepository(server.parley().databases()).find(siteId, key).orElseThrow();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aHistoricalThreadCanBeReadButNotCommentedOn() {
        WebClient guest = server.client();
        String page = TestServer.standalonePath(old.key());
        HttpResponse<String> shown = guest.get(page);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("From the archive",
                "This discussion is archived: it can be read, but no longer commented on.");
        assertThat(shown.body()).as("no comment form, no reply links").doesNotContain("class=\"comment-form\"");

        HttpResponse<String> refused = guest.post(page, Map.of("name", "Late", "body", "Am I too late?"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("This discussion is archived: it can be read, but no longer commented on.");
        assertThat(guest.get(page).body()).doesNotContain("Am I too late?");
    }

    @Test
    void historicalCommentsTakeNoRepliesVotesOrEdits() {
        CommentService comments = serverComments();
        assertThatThrownBy(() -> comments.post(server.site(), old, reader,
                new CommentForm("a reply", oldComment, null, null), "127.0.0.1"))
                .isInstanceOf(HttpError.class).hasMessage("This discussion is archived: it can be read, but no longer commented on.");
        assertThatThrownBy(() -> comments.vote(oldComment, reader, 1))
                .isInstanceOf(HttpError.class).hasMessage("This comment is archived: it can be read, but no longer changed or voted on.");
        assertThatThrownBy(() -> comments.edit(server.site(), oldComment, reader, "rewritten"))
                .isInstanceOf(HttpError.class).hasMessageContaining("archived");
        assertThatThrownBy(() -> comments.delete(server.site(), oldComment, reader))
                .isInstanceOf(HttpError.class).hasMessageContaining("archived");
        assertThat(server.parley().databases().write(old.shard()).fetchValue("SELECT score FROM "
                + ShardRouter.schemaOf(old.shard()) + ".comment WHERE id = " + oldComment)).isEqualTo(0);
    }

    @Test
    void aRecentThreadTakesCommentsAsAlways() {
        WebClient guest = server.client();
        String key = "recent";
        guest.get(TestServer.embedPath(key)); // creates the thread, as a host page's embed does
        String page = TestServer.standalonePath(key);
        guest.get(page);
        HttpResponse<String> posted = guest.post(page, Map.of("name", "Now", "body", "Right on time"));
        assertThat(posted.statusCode()).isBetween(300, 399);
        assertThat(guest.follow(posted).body()).contains("Right on time");
    }

    /** The running server's own service, so the configured age applies. */
    private static CommentService serverComments() {
        return new CommentService(server.parley().databases(), new CommentRepository(), java.time.Clock.systemUTC(),
                new org.parley.thread.ThreadVersions(server.parley().cache()), PostingRules.NONE,
                new org.parley.data.HistoricalPartitions(server.parley().config().historicalAfterMonths(),
                        java.time.Clock.systemUTC()));
    }
}
