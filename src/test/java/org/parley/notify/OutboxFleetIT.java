package org.parley.notify;

import jakarta.mail.internet.MimeMessage;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.parley.ParleyServer;
import org.parley.account.Account;
import org.parley.data.DbUrl;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.discussion.CommentForm;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentService;
import org.parley.discussion.CommentThread;
import org.parley.discussion.ThreadRepository;
import org.parley.discussion.ThreadVersions;
import org.parley.outbox.OutboxWorker;
import org.parley.site.SiteRepository;
import org.parley.testing.MailServer;
import org.parley.testing.OutboxPace;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;
import org.parley.testing.TestServer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox across a fleet: three instances on one database, each with its own delivery worker, and 100 replies
 * to comments whose author asked for replies. The SMTP server is stopped in the middle of it, for a minute at
 * production's retry pace and for as many retries in a fifth of that at the suite's ({@link OutboxPace}). Every
 * reply is mailed, and once per run of the server — no instance sends another's mail, nothing is lost while the
 * server is away, and everything goes out after it returns.
 *
 * <p>The one repeat allowed is SMTP's own: a mail whose session the stop cut after the server had taken the message
 * but before its "250 OK" reached Parley is, rightly, sent again after the restart (at-least-once is all SMTP
 * offers). Such a mail is in both runs, at most once in each.
 */
class OutboxFleetIT {
    private static final int PARENTS = 10;
    private static final int REPLIES = 100;
    private static final Duration OUTAGE = OutboxPace.scaled(Duration.ofSeconds(60));

    @Test
    void threeInstancesMailEachOfAHundredRepliesOnceThroughAnSmtpOutage() throws Exception {
        DbUrl database = TestPostgres.shared().newDatabase();
        List<ParleyServer> fleet = new ArrayList<>();
        try (MailServer smtp = new MailServer().start()) {
            Map<String, String> settings = new HashMap<>(TestConfig.settingsFor(database, 8));
            settings.put("PARLEY_PUBLIC_URL", TestServer.ORIGIN);
            settings.put("PARLEY_SMTP_URL", smtp.url());
            settings.put("PARLEY_OUTBOX_POLL_MS", "200");
            settings.put(OutboxPace.SETTING, OutboxPace.VALUE);
            settings.put("PARLEY_DB_CONNECT_TIMEOUT_MS", "10000");
            for (int i = 0; i < 3; i++) { // one after the other: the first migrates
                fleet.add(ParleyServer.start(TestConfig.load(settings)));
            }
            ParleyServer first = fleet.getFirst();
            TestServer.withoutSpamChecks(first);
            var databases = first.databases();
            Account author = member(first, "author@example.com", "Ann Author");
            Account replier = member(first, "replier@example.com", "Rey Replier");
            var comments = new CommentService(databases, new CommentRepository(), Clock.systemUTC(),
                    new ThreadVersions(first.cache()));
            var site = new SiteRepository(databases.main()).named(SiteRepository.DEFAULT_NAME);
            var threads = new ThreadRepository(databases);

            List<Long> parents = new ArrayList<>();
            List<CommentThread> parentThreads = new ArrayList<>();
            for (int p = 0; p < PARENTS; p++) { // threads on several shards
                CommentThread thread = threads.findOrCreate(site.id(), "fleet-" + p, TestServer.ORIGIN + "/fleet-" + p, "Fleet " + p);
                parentThreads.add(thread);
                parents.add(comments.post(site, thread, author, new CommentForm("Question " + p, null, null, null, true),
                        "127.0.0.1").id());
            }
            List<Long> replies = new ArrayList<>();
            for (int r = 0; r < REPLIES; r++) {
                if (r == REPLIES / 2) {
                    // some mails are out; the rest are written while the server is away
                    await().atMost(Duration.ofSeconds(30)).until(() -> !smtp.received().isEmpty());
                    smtp.stop();
                }
                int p = r % PARENTS;
                replies.add(comments.post(site, parentThreads.get(p), replier,
                        new CommentForm("Answer " + r, parents.get(p), null, null, false), "127.0.0.1").id());
            }
            int beforeOutage = smtp.received().size();
            Thread.sleep(OUTAGE.toMillis());
            assertThat(failedTries(first, replies)).as("deliveries tried and failed while SMTP was away").isPositive();
            assertThat(smtp.received()).hasSize(beforeOutage);

            long back = System.nanoTime();
            smtp.start();
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                        .until(() -> messageIds(smtp.received()).size() >= REPLIES);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(messageIds(smtp.received()).size() + " of " + REPLIES
                        + " mails arrived; the outbox rows: " + outboxRows(first, replies), e);
            }
            Duration recovery = Duration.ofNanos(System.nanoTime() - back);
            Thread.sleep(2_000); // a few more polls of every instance: nothing else may arrive

            Set<String> expected = new HashSet<>();
            replies.forEach(id -> expected.add("<comment-" + id + "@localhost>"));
            assertThat(messageIds(smtp.received())).isEqualTo(expected);
            smtp.received().forEach(mail -> assertThat(MailServer.recipient(mail)).isEqualTo("author@example.com"));
            List<MimeMessage> firstRun = smtp.receivedInRun(0);
            List<MimeMessage> secondRun = smtp.receivedInRun(1);
            assertThat(messageIds(firstRun)).as("no mail twice before the outage").hasSize(firstRun.size());
            assertThat(messageIds(secondRun)).as("no mail twice after it").hasSize(secondRun.size());
            int cut = firstRun.size() + secondRun.size() - REPLIES; // taken by the server as it stopped, sent again
            assertThat(cut).as("mails cut mid-session by the stop, at most one batch per instance")
                    .isLessThanOrEqualTo(fleet.size() * OutboxWorker.BATCH);
            System.out.printf("OutboxFleetIT: %d mails before the outage, %d after (%d cut by the stop and sent again);"
                    + " all out %.1f s after SMTP returned from %d s away (first retry after %d s)%n", firstRun.size(),
                    secondRun.size(), cut, recovery.toMillis() / 1000.0, OUTAGE.toSeconds(),
                    OutboxPace.FIRST_RETRY_SECONDS);
        } finally {
            fleet.forEach(ParleyServer::close);
        }
    }

    private static Account member(ParleyServer server, String email, String name) {
        long id = server.databases().main().fetchOne("INSERT INTO main.account (email, display_name, email_verified_at)"
                + " VALUES (?, ?, now()) RETURNING id", email, name).get(0, Long.class);
        return new Account(id, email, name, false);
    }

    private static Set<String> messageIds(List<MimeMessage> mails) {
        Set<String> ids = new HashSet<>();
        mails.forEach(mail -> ids.add(MailServer.header(mail, "Message-ID")));
        return ids;
    }

    /** Each reply's notification row as state, attempts, seconds until due and last error (for a failure's message). */
    private static List<String> outboxRows(ParleyServer server, List<Long> replies) {
        List<String> rows = new ArrayList<>();
        for (long reply : replies) {
            int shard = Ids.shardOf(reply);
            var row = server.databases().write(shard).fetchOne("SELECT state, attempts,"
                    + " round(extract(epoch FROM due_at - now())), last_error FROM " + ShardRouter.schemaOf(shard)
                    + ".outbox WHERE (payload->>'reply')::bigint = ?", reply);
            rows.add(reply + "=" + (row == null ? "none" : row.intoList()));
        }
        return rows;
    }

    /** The failed tries recorded on the replies' notification rows so far. */
    private static int failedTries(ParleyServer server, List<Long> replies) {
        int failed = 0;
        for (long reply : replies) {
            int shard = Ids.shardOf(reply);
            var row = server.databases().write(shard).fetchOne("SELECT attempts, last_error FROM "
                    + ShardRouter.schemaOf(shard) + ".outbox WHERE (payload->>'reply')::bigint = ?", reply);
            if (row != null && row.get(1) != null) {
                failed += row.get(0, Integer.class);
            }
        }
        return failed;
    }
}
