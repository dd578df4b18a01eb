package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.testing.MemcachedProcess;
import org.parley.testing.PgCluster;
import org.parley.testing.PgServer;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stale-page workload ({@link WritersAndGuests}) on a primary with two streaming replicas, one up to date and
 * one applying each commit {@link #BEHIND} late, both usable. Guests are served by the replicas and may see the
 * thread as the replica they read has it — the previous version, tagged as such, for at most the lag — but no page
 * may be tagged with a version its content lacks: a page whose thread row came from the up-to-date replica and its
 * comments from the late one was stored under the newer version. Once both replicas have caught up, every page on
 * every instance and sort holds every comment; the writers see their own at once (read-your-writes).
 */
class StalePageReplicasIT {
    private static final Duration BEHIND = Duration.ofMillis(600);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final int WRITERS = 3;
    private static final int GUESTS = 4;
    private static final int COMMENTS_PER_WRITER = 12;
    private static final int THREADS = 2;

    private static PgCluster pg;
    private static PgServer upToDate;
    private static PgServer late;
    private static MemcachedProcess memcached;
    private static TestServer first;
    private static TestServer second;

    @BeforeAll
    static void start() {
        pg = PgCluster.start();
        String db = pg.createDatabase();
        upToDate = pg.addReplica();
        late = pg.addReplica();
        memcached = MemcachedProcess.start();
        Map<String, String> shared = Map.of("PARLEY_DB_URL", pg.url(db).jdbcUrl(),
                "PARLEY_DB_REPLICAS", pg.replicaUrls(db), "PARLEY_REPLICA_POLL_MS", "100",
                "PARLEY_MEMCACHED", memcached.address(), "PARLEY_MEMCACHED_TIMEOUT_MS", "1000");
        first = TestServer.start(shared); // migrates the primary
        second = TestServer.start(shared);
        pg.awaitReplay(upToDate, CATCH_UP);
        pg.awaitReplay(late, CATCH_UP); // the schema is on it before it lags on purpose
        PgCluster.setApplyDelay(late, BEHIND);
        for (TestServer instance : List.of(first, second)) {
            await().atMost(CATCH_UP).until(() -> instance.parley().databases().replicas().stream()
                    .allMatch(r -> r.state().usable()));
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{second, first, memcached, pg}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("stopping " + c, e);
                }
            }
        }
    }

    @Test
    void noPageIsTaggedAheadOfItsContentAndEveryCommentArrivesOnceTheReplicasCatchUp() throws Exception {
        var load = new WritersAndGuests(List.of(first.base(), second.base()), WRITERS, GUESTS, COMMENTS_PER_WRITER);
        List<String> paths = new ArrayList<>();
        List<WritersAndGuests.Ack> acked = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String key = "stale-replicas-" + t;
            CommentThread thread = first.thread(key); // made on the primary
            pg.awaitReplay(late, CATCH_UP);
            paths.add(TestServer.standalonePath(key));
            acked.addAll(load.round(paths.getLast(), thread.version()));
        }
        pg.awaitReplay(upToDate, CATCH_UP);
        pg.awaitReplay(late, CATCH_UP);

        System.out.println("StalePageReplicasIT: " + load.figures() + " (guests read replicas, one " + BEHIND.toMillis()
                + " ms behind: absences while it lags are expected)");
        assertThat(load.ahead().size()).as("%s; for example %s", load.figures(), load.ahead().stream().limit(10).toList())
                .isZero();
        for (TestServer instance : List.of(first, second)) {
            for (String path : paths) {
                for (String sort : WritersAndGuests.SORTS) {
                    HttpResponse<String> page = new WebClient(instance.base()).get(path + "?sort=" + sort);
                    String body = page.body();
                    List<String> missing = acked.stream().map(WritersAndGuests.Ack::marker)
                            .filter(m -> m.startsWith("stale" + paths.indexOf(path) + "w") && !body.contains(m))
                            .toList();
                    assertThat(missing).as("%s?sort=%s on %s, caught up", path, sort, instance.base()).isEmpty();
                }
            }
        }
    }

    /**
     * Writers who post at the same moment to one instance have their posts committed together (group commit), by
     * whichever of them got there first; each must still read their own comment on the page they are sent back
     * to, from a replica that has it or from the primary — not from the one that lags.
     */
    @Test
    void writersCommittedTogetherEachSeeTheirOwnCommentOnTheirRedirect() throws Exception {
        String key = "stale-replicas-together";
        CommentThread thread = first.thread(key);
        pg.awaitReplay(late, CATCH_UP);
        var together = new WritersAndGuests(List.of(first.base()), 12, 0, 4);
        // each writer's assertion on their own redirect is in WritersAndGuests.write
        assertThat(together.round(TestServer.standalonePath(key), thread.version())).hasSize(48);
        String s = org.parley.data.ShardRouter.schemaOf(thread.shard());
        long transactions = number(first.parley().databases().write(thread.shard()).fetchValue(
                "SELECT count(DISTINCT created_at) FROM " + s + ".comment WHERE thread_id = ?", thread.id()));
        assertThat(transactions).as("transactions for 48 posts made 12 at a time").isLessThan(48);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    /**
     * A visitor's first view makes the thread on the primary; the next visitor, with no cookie, reads where guests
     * read — possibly the replica still {@link #BEHIND} — and must get the thread, not "No such discussion".
     */
    @Test
    void aThreadMadeAMomentAgoOpensForTheNextVisitorWhicheverReplicaTheyRead() {
        List<String> refused = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            String key = "just-made-" + t;
            TestServer instance = t % 2 == 0 ? first : second;
            assertThat(new WebClient(instance.base()).get(TestServer.embedPath(key)).statusCode()).isEqualTo(200);
            HttpResponse<String> next = new WebClient(instance.base()).get(TestServer.standalonePath(key));
            if (next.statusCode() != 200) {
                refused.add(key + " → " + next.statusCode() + " " + next.headers().firstValue("X-Parley-Sql-Targets")
                        .orElse(""));
            }
        }
        assertThat(refused).as("threads the next visitor could not open").isEmpty();
    }
}
