package org.parley.discussion;

import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.data.ShardRouter;
import org.parley.testing.TestServer;
import org.parley.web.HttpError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Posts that meet on one thread are committed together (GroupCommit), against a real PostgreSQL: every post
 * lands, the counters are exact and the version moves, the database itself shows that posts shared transactions,
 * and a change that fails inside a shared transaction fails alone.
 */
class GroupCommitIT {
    private static final int WRITERS = 32;
    private static final int POSTS_EACH = 20;
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void postsMeetingOnOneThreadShareTransactionsAndEveryOneLands() throws Exception {
        CommentThread thread = server.thread("group-commit-hot");
        var metrics = new com.codahale.metrics.MetricRegistry();
        server.comments().register(metrics);
        var start = new CountDownLatch(1);
        List<Long> acknowledged = new ArrayList<>();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Long>>> work = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                work.add(writers.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    for (int p = 0; p < POSTS_EACH; p++) {
                        mine.add(server.post(thread, null, "writer " + writer + " post " + p));
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (var f : work) {
                acknowledged.addAll(f.get());
            }
        }

        int posts = WRITERS * POSTS_EACH;
        var shard = server.parley().databases().write(thread.shard());
        String s = ShardRouter.schemaOf(thread.shard());
        var stored = shard.fetch("SELECT id, created_at::text AS tx FROM " + s + ".comment WHERE thread_id = ?", thread.id());
        assertThat(stored.getValues("id", Long.class)).as("every acknowledged post is stored")
                .containsExactlyInAnyOrderElementsOf(acknowledged).hasSize(posts);
        var row = shard.fetchOne("SELECT comment_count, version FROM " + s + ".thread WHERE id = ?", thread.id());
        assertThat(row.get("comment_count", Integer.class)).isEqualTo(posts);
        assertThat(row.get("version", Long.class)).as("a new version per transaction")
                .isGreaterThan(thread.version()).isLessThanOrEqualTo(thread.version() + posts);
        // a comment's created_at is its transaction's start (now()): one value per transaction
        long transactions = stored.getValues("tx", String.class).stream().distinct().count();
        assertThat(transactions).as("transactions for %d posts by %d concurrent writers", posts, WRITERS)
                .isLessThan(posts);
        // what an operator reads off /metrics says the same
        assertThat(metrics.counter(ThreadWrites.GROUPED_WRITES).getCount()).isEqualTo(posts);
        assertThat(metrics.counter(ThreadWrites.GROUP_TRANSACTIONS).getCount()).isEqualTo(transactions);
        assertThat(metrics.counter(ThreadWrites.GROUP_RETRIES).getCount()).as("no post failed: no batch ran twice")
                .isZero();
    }

    @Test
    void aChangeThatFailsInASharedTransactionFailsAloneAndTheOthersCommit() {
        CommentThread thread = server.thread("group-commit-failure");
        Map<Long, Long> told = new ConcurrentHashMap<>();
        var writes = new ThreadWrites(server.parley().databases(), told::put);
        String s = ShardRouter.schemaOf(thread.shard());
        var first = new GroupCommit.Job<>(thread.shard(), thread.id(), write -> {
            write.touch(thread.id(), 1);
            // the batch runs once without a savepoint a change, and again with one each when a change fails: what
            // a change that succeeds writes must land once, not once a run
            write.dsl().execute("UPDATE " + s + ".thread SET title = title || '+' WHERE id = ?", thread.id());
            return "first";
        });
        var refused = new GroupCommit.Job<>(thread.shard(), thread.id(), write -> {
            write.touch(thread.id(), 1);
            // what it wrote before it failed is undone with it, and only that
            write.dsl().execute("UPDATE " + s + ".thread SET title = 'written by a change that failed' WHERE id = ?",
                    thread.id());
            throw HttpError.worded(409, "comment.error.votingOver");
        });
        var broken = new GroupCommit.Job<>(thread.shard(), thread.id(), write -> {
            write.touch(thread.id(), 1);
            return write.dsl().fetchValue("SELECT 1 / 0"); // an SQL error aborts the transaction but for the savepoint
        });
        var last = new GroupCommit.Job<>(thread.shard(), thread.id(), write -> {
            write.touch(thread.id(), 1);
            return "last";
        });

        var metrics = new com.codahale.metrics.MetricRegistry();
        writes.register(metrics);
        writes.inOneTransaction(thread.shard(), List.of(first, broken, refused, last));

        assertThat(first.result()).isEqualTo("first");
        assertThat(last.result()).isEqualTo("last");
        assertThatThrownBy(refused::result).isInstanceOf(HttpError.class);
        assertThatThrownBy(broken::result).isInstanceOf(DataAccessException.class).hasMessageContaining("division by zero");
        var row = server.parley().databases().write(thread.shard())
                .fetchOne("SELECT comment_count, version, title FROM " + s + ".thread WHERE id = ?", thread.id());
        assertThat(row.get("title", String.class)).as("the first change's write, once; the refused one's, not at all")
                .isEqualTo(thread.title() + "+");
        assertThat(row.get("comment_count", Integer.class)).as("only the two that succeeded counted").isEqualTo(2);
        assertThat(row.get("version", Long.class)).as("one update of the thread row for the batch")
                .isEqualTo(thread.version() + 1);
        assertThat(metrics.counter(ThreadWrites.GROUP_RETRIES).getCount()).as("the batch ran again, a savepoint each")
                .isEqualTo(1);
        assertThat(told).as("the cache hears the committed version")
                .containsExactly(Map.entry(thread.id(), thread.version() + 1));
    }
}
