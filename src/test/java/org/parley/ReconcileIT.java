package org.parley;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.data.Databases;
import org.parley.data.ShardRouter;
import org.parley.discussion.CommentForm;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentService;
import org.parley.discussion.CommentThread;
import org.parley.discussion.CommentView.State;
import org.parley.discussion.CounterReconciliation;
import org.parley.discussion.ReconcileSchedule;
import org.parley.discussion.ThreadVersions;
import org.parley.moderation.Bans;
import org.parley.moderation.ModerationService;
import org.parley.moderation.PostingChecks;
import org.parley.moderation.SiteRules;
import org.parley.site.Site;
import org.parley.testing.TestServer;

import java.time.Clock;
import java.util.HashMap;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counter drift (a bug, a hand-made SQL fix, a partial restore) is found and repaired by {@code parley reconcile},
 * which says exactly what it fixed; the writers' own rules stay intact (shadowed and pending comments are not
 * counted in the thread, a pending reply still counts for its parent); a second run finds nothing.
 */
class ReconcileIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static Databases db;
    private static CommentThread thread;
    private static long top;
    private static long reply;
    private static long voted;

    @BeforeAll
    static void start() {
        db = server.parley().databases();
        Site site = server.site();
        var accounts = new AccountRepository(db.main());
        Account alice = accounts.byId(accounts.create("alice@example.com", "Alice", "x").orElseThrow()).orElseThrow();
        Account bob = accounts.byId(accounts.create("bob@example.com", "Bob", "x").orElseThrow()).orElseThrow();
        var bans = new Bans(db.main());
        bans.create(new Bans.NewBan(site.id(), "ip", "10.9.9.9", "test", null, true), alice.id());
        var moderated = new CommentService(db, new CommentRepository(), Clock.systemUTC(),
                new ThreadVersions(server.parley().cache()), new PostingChecks(new org.parley.moderation.PostingFacts(db.main()), new org.parley.moderation.SpamSignals(db.main())));

        // counted as the writers count them: 3 visible, 1 shadowed, 1 pending, 1 deleted reply
        thread = server.thread("reconcile");
        top = server.post(thread, null, "top");
        reply = server.post(thread, top, "reply");
        voted = server.post(thread, null, "voted");
        long deletedReply = moderated.post(site, thread, bob, new CommentForm("gone", top, null, null), "127.0.0.1").id();
        moderated.delete(site, deletedReply, bob);
        moderated.post(site, thread, null, new CommentForm("shadowed", null, "Shadow", null), "10.9.9.9");
        long held = server.post(thread, top, "held");
        new ModerationService(db, new ThreadVersions(server.parley().cache()))
                .act(alice, Set.of(site.id()), held, ModerationService.Action.HOLD, State.APPROVED);
        server.comments().vote(voted, alice, 1);
        server.comments().vote(voted, bob, 1);
        server.comments().flag(voted, alice, "spam", null);
    }

    @Test
    void driftIsRepairedAndReportedThenNothingIsLeft() {
        String s = ShardRouter.schemaOf(thread.shard());
        // consistent to begin with: the writers' rules and the job's rules agree
        assertThat(reconcile().stdout()).contains("0 counters repaired");
        long version = threadValue("version");

        sql("UPDATE " + s + ".thread SET comment_count = 42 WHERE id = " + thread.id());
        sql("UPDATE " + s + ".comment SET reply_count = 0 WHERE id = " + top);
        sql("UPDATE " + s + ".comment SET reply_count = 5 WHERE id = " + reply);
        sql("UPDATE " + s + ".comment SET score = 7, upvotes = 1, flag_count = 0 WHERE id = " + voted);

        CommandRun first = reconcile();

        assertThat(first.stdout()).contains(
                "fixed " + s + " thread " + thread.id() + " comment_count: 42 -> 3",
                // the deleted reply does not count, the pending one does
                "fixed " + s + " comment " + top + " reply_count: 0 -> 2",
                "fixed " + s + " comment " + reply + " reply_count: 5 -> 0",
                "fixed " + s + " comment " + voted + " upvotes: 1 -> 2",
                "fixed " + s + " comment " + voted + " score: 7 -> 2",
                "fixed " + s + " comment " + voted + " flag_count: 0 -> 1",
                "6 counters repaired");
        assertThat(first.stdout()).containsPattern(s + " on main: 1 threads, 6 comments, 6 fixed");
        assertThat(threadValue("comment_count")).isEqualTo(3);
        assertThat(commentValue(top, "reply_count")).isEqualTo(2);
        assertThat(commentValue(reply, "reply_count")).isZero();
        assertThat(commentValue(voted, "score")).isEqualTo(2);
        assertThat(commentValue(voted, "upvotes")).isEqualTo(2);
        assertThat(commentValue(voted, "flag_count")).isEqualTo(1);
        // pages and ETags derive from the version: repaired numbers must not hide behind a cached page
        assertThat(threadValue("version")).isGreaterThan(version);

        CommandRun second = reconcile();
        assertThat(second.stdout()).doesNotContain("  fixed ").contains("0 counters repaired");
    }

    @Test
    void aDryRunReportsButChangesNothing() {
        String s = ShardRouter.schemaOf(thread.shard());
        sql("UPDATE " + s + ".comment SET downvotes = 3, score = -1 WHERE id = " + reply);

        CommandRun dry = reconcile("--dry-run", "--shard", Integer.toString(thread.shard()));
        assertThat(dry.stdout()).contains("fixed " + s + " comment " + reply + " downvotes: 3 -> 0",
                "2 counters drifted (not repaired: --dry-run)");
        assertThat(commentValue(reply, "downvotes")).isEqualTo(3);

        new CounterReconciliation(db, 1, false, (t, v) -> { }).run(thread.shard()); // batches of one thread
        assertThat(commentValue(reply, "downvotes")).isZero();
        assertThat(commentValue(reply, "score")).isZero();
    }

    @Test
    void theBackgroundRunHappensOnceAcrossInstances() throws Exception {
        String s = ShardRouter.schemaOf(thread.shard());
        var schedule = new ReconcileSchedule(db, new ThreadVersions(server.parley().cache()));
        sql("UPDATE " + s + ".comment SET flag_count = 9 WHERE id = " + voted);
        db.main().execute("DELETE FROM main.setting WHERE key = 'reconcile_last_run'");

        // another instance is running it: this one skips
        try (var other = db.primaryOf("main").getConnection(); var st = other.createStatement()) {
            st.execute("SELECT pg_advisory_lock(hashtext('parley.reconcile'))");
            assertThat(schedule.runIfDue()).isEqualTo(ReconcileSchedule.Outcome.BUSY);
            assertThat(commentValue(voted, "flag_count")).isEqualTo(9);
            st.execute("SELECT pg_advisory_unlock(hashtext('parley.reconcile'))");
        }
        assertThat(schedule.runIfDue()).isEqualTo(ReconcileSchedule.Outcome.RAN);
        assertThat(commentValue(voted, "flag_count")).isEqualTo(1);
        // the next instance to look finds it done less than a day ago
        assertThat(new ReconcileSchedule(db, new ThreadVersions(server.parley().cache())).runIfDue())
                .isEqualTo(ReconcileSchedule.Outcome.NOT_DUE);
    }

    @Test
    void helpDescribesTheCommand() {
        CommandRun help = reconcile("--help");
        assertThat(help.status()).isZero();
        assertThat(help.stdout()).contains("Usage: parley reconcile", "--dry-run", "--shard=N", "--batch=THREADS");
    }

    private static CommandRun reconcile(String... options) {
        String[] args = new String[options.length + 1];
        args[0] = "reconcile";
        System.arraycopy(options, 0, args, 1, options.length);
        return CommandRun.of(new HashMap<>(server.settings()), args);
    }

    private static void sql(String statement) {
        db.write(thread.shard()).execute(statement);
    }

    private static long threadValue(String column) {
        return ((Number) db.write(thread.shard()).fetchValue("SELECT " + column + " FROM "
                + ShardRouter.schemaOf(thread.shard()) + ".thread WHERE id = " + thread.id())).longValue();
    }

    private static long commentValue(long id, String column) {
        return ((Number) db.write(thread.shard()).fetchValue("SELECT " + column + " FROM "
                + ShardRouter.schemaOf(thread.shard()) + ".comment WHERE id = " + id)).longValue();
    }
}
