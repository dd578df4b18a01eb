package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.data.ShardRouter;
import org.parley.site.Site;
import org.parley.testing.TestServer;
import org.parley.web.HttpError;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Denormalised counters (thread comment counts, reply counts, scores) change in the same transaction as the
 * rows they count, so after a storm of concurrent posts, replies, votes and deletes on several threads at once
 * they still equal a fresh count of the rows.
 */
class CountersIT {
    private static final int OPERATIONS = 1_000;
    private static final int THREADS = 4;
    private static final int ACCOUNTS = 20;
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void countersEqualTheRowsAfterAThousandConcurrentWrites() throws Exception {
        Site site = server.site();
        var accounts = new AccountRepository(server.parley().databases().main());
        List<Account> people = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            long id = accounts.create("person" + i + "@example.com", "Person " + i, "x").orElseThrow();
            people.add(accounts.byId(id).orElseThrow());
        }
        List<CommentThread> threads = new ArrayList<>();
        List<List<Long>> commentsOf = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(server.thread("counters-" + t));
            commentsOf.add(new CopyOnWriteArrayList<>());
            commentsOf.get(t).add(server.post(threads.get(t), null, "seed"));
        }
        CommentService service = server.comments();
        AtomicInteger refused = new AtomicInteger();

        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < OPERATIONS; i++) {
                int n = i;
                work.add(pool.submit(() -> {
                    var random = new Random(n);
                    int t = random.nextInt(THREADS);
                    List<Long> ids = commentsOf.get(t);
                    Account who = people.get(random.nextInt(ACCOUNTS));
                    Long someComment = ids.get(random.nextInt(ids.size()));
                    try {
                        switch (random.nextInt(10)) {
                            case 0, 1, 2 -> ids.add(service.post(site, threads.get(t), who,
                                    new CommentForm("top " + n, null, null, null), "127.0.0.1").id());
                            case 3, 4 -> ids.add(service.post(site, threads.get(t), who,
                                    new CommentForm("reply " + n, someComment, null, null), "127.0.0.1").id());
                            case 5 -> service.delete(site, someComment, who);
                            default -> service.vote(someComment, who, random.nextInt(3) - 1);
                        }
                    } catch (HttpError expected) {
                        // not theirs to delete, their own comment to vote on, already removed…: refused whole
                        refused.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        }

        var db = server.parley().databases();
        for (CommentThread thread : threads) {
            var shard = db.write(thread.shard());
            String s = ShardRouter.schemaOf(thread.shard());
            long recorded = number(shard.fetchValue("SELECT comment_count FROM " + s + ".thread WHERE id = ?", thread.id()));
            long counted = number(shard.fetchValue(
                    "SELECT count(*) FROM " + s + ".comment WHERE thread_id = ? AND state = 'approved'", thread.id()));
            assertThat(recorded).as("comment_count of " + thread.key()).isEqualTo(counted).isPositive();
        }
        // every comment's reply count and score, against a recount of replies and votes (across all shards used)
        for (CommentThread thread : threads) {
            var shard = db.write(thread.shard());
            // plain SQL is not schema-mapped: point the search path at the thread's shard for this transaction
            var drift = shard.transactionResult(tx -> {
                tx.dsl().execute("SET LOCAL search_path = " + ShardRouter.schemaOf(thread.shard()));
                return tx.dsl().fetch("""
                    SELECT c.id, c.reply_count, c.score, c.upvotes, c.downvotes,
                           (SELECT count(*) FROM comment r WHERE r.parent_id = c.id AND r.state <> 'deleted') AS replies,
                           (SELECT coalesce(sum(v.value), 0) FROM vote v WHERE v.comment_id = c.id) AS votes,
                           (SELECT count(*) FROM vote v WHERE v.comment_id = c.id AND v.value = 1) AS ups,
                           (SELECT count(*) FROM vote v WHERE v.comment_id = c.id AND v.value = -1) AS downs
                      FROM comment c
                     WHERE c.thread_id = ?
                       AND (c.reply_count <> (SELECT count(*) FROM comment r WHERE r.parent_id = c.id AND r.state <> 'deleted')
                         OR c.score <> (SELECT coalesce(sum(v.value), 0) FROM vote v WHERE v.comment_id = c.id)
                         OR c.upvotes <> (SELECT count(*) FROM vote v WHERE v.comment_id = c.id AND v.value = 1)
                         OR c.downvotes <> (SELECT count(*) FROM vote v WHERE v.comment_id = c.id AND v.value = -1))
                    """, thread.id());
            });
            assertThat(drift).as("comments whose counters drifted in " + thread.key()).isEmpty();
        }
        long votes = threads.stream().mapToLong(t -> number(db.write(t.shard()).fetchValue(
                "SELECT count(*) FROM " + ShardRouter.schemaOf(t.shard()) + ".vote v JOIN "
                        + ShardRouter.schemaOf(t.shard()) + ".comment c ON c.id = v.comment_id WHERE c.thread_id = ?",
                t.id()))).sum();
        assertThat(votes).as("the storm did cast votes").isPositive();
        assertThat(refused.get()).as("some actions were refused, as they should be").isPositive().isLessThan(OPERATIONS / 2);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
