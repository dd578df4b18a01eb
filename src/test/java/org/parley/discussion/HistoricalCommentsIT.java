package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A comment in a historical partition (older than PARLEY_HISTORICAL_AFTER_MONTHS, 12 by default) is shown but
 * read-only for visitors: no votes, no replies, a clear message; reporting it still works.
 */
class HistoricalCommentsIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void anOldCommentIsShownButCannotBeVotedOnOrRepliedToYetCanBeReported() {
        CommentThread thread = backdatedThread("historical-thread", "2024-05-01T12:00:00Z");
        long old = backdated(thread, server.post(thread, null, "Written in June 2024"), "2024-06-01T12:00:00Z");
        long recent = server.post(thread, null, "Written today");
        String page = TestServer.embedPath("historical-thread");
        WebClient reader = server.signedUp("historian@example.com", "Historian");

        String html = reader.get(page).body();
        assertThat(html).contains("Written in June 2024", "comment-" + old, "Archived · 0 points");
        assertThat(html).as("no vote or reply controls on the archived comment")
                .doesNotContain("/c/" + old + "/vote", "/c/" + old + "/reply")
                .contains("/c/" + recent + "/vote", "/c/" + recent + "/reply");

        HttpResponse<String> vote = reader.post("/c/" + old + "/vote", Map.of("value", "1", "return", page));
        assertThat(vote.statusCode()).isEqualTo(409);
        assertThat(vote.body()).contains("This comment is archived (older than 12 months) and can no longer be voted on.");

        reader.get(page);
        HttpResponse<String> reply = reader.post(page, Map.of("body", "A late reply", "parent", Long.toString(old)));
        assertThat(reply.statusCode()).isEqualTo(409);
        assertThat(reply.body()).contains("The comment you are replying to is archived (older than 12 months)");
        assertThat(server.parley().databases().read(thread.shard()).fetchValue(
                "SELECT count(*) FROM " + ShardRouter.schemaOf(thread.shard()) + ".comment WHERE parent_id = ?", old))
                .isEqualTo(0L);

        reader.get(page);
        assertThat(reader.post("/c/" + recent + "/vote", Map.of("value", "1", "return", page)).statusCode())
                .as("recent comments take votes as before").isEqualTo(302);
        reader.get("/c/" + old + "/flag?return=" + page);
        assertThat(reader.post("/c/" + old + "/flag", Map.of("reason", "abuse", "return", page)).statusCode())
                .as("abuse stays reportable at any age").isEqualTo(302);
    }

    /** A new thread with the ID it would have had at {@code when}: a page reads no comment older than its thread. */
    private static CommentThread backdatedThread(String key, String when) {
        CommentThread fresh = server.thread(key);
        long old = Ids.lowestAt(Instant.parse(when)) | ((long) fresh.shard() << Ids.SEQUENCE_BITS) | 3;
        server.parley().databases().write(fresh.shard()).execute(
                "UPDATE " + ShardRouter.schemaOf(fresh.shard()) + ".thread SET id = ? WHERE id = ?", old, fresh.id());
        CommentThread thread = server.thread(key);
        assertThat(thread.id()).isEqualTo(old);
        return thread;
    }

    /** Gives a freshly posted top-level comment the ID it would have had at {@code when}: it moves partitions. */
    private static long backdated(CommentThread thread, long id, String when) {
        long old = Ids.lowestAt(Instant.parse(when)) | ((long) thread.shard() << Ids.SEQUENCE_BITS) | 7;
        server.parley().databases().write(thread.shard()).execute(
                "UPDATE " + ShardRouter.schemaOf(thread.shard()) + ".comment SET id = ?, root_id = ?, path = ? WHERE id = ?",
                old, old, NewComment.pathSegment(old), id);
        return old;
    }
}
