package org.parley.moderation;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.Config;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.data.CitusReads;
import org.parley.data.ClusterConfig;
import org.parley.data.Databases;
import org.parley.data.Migrations;
import org.parley.data.QueryStats;
import org.parley.data.ShardRouter;
import org.parley.testing.CitusCluster;
import org.parley.testing.TestConfig;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The site-wide views on a real Citus cluster (a coordinator and two workers), read both ways Parley can
 * ({@link CitusReads}): ONE UNION ALL statement through the coordinator, and one statement per shard schema merged
 * by Parley. The same data gives the same rows in the same order and the same pages either way — every queue in
 * both orders walked to its end, a narrowed queue, the queue counts, an author's history, the 30 days of
 * statistics — and both agree with the shards read one by one. The statement counts are what each way promises.
 */
class CitusCrossShardReadsIT {
    /** 8, or -Dparley.citus.shards=64 for the figures at the default shard count in docs/scale-out.md. */
    private static final int SHARDS = Integer.getInteger("parley.citus.shards", 8);
    /** Comments per shard and site: several pages of the recent queue over 8 shards, a page and more of pending. */
    private static final int PER_SHARD = 45;
    private static final long SITE = 1;
    private static final long OTHER_SITE = 2;
    private static final String PASSWORD = "correct horse battery staple";
    private static final int MEASURED_RUNS = 9;
    private static final Pattern QUEUE_ITEM = Pattern.compile("<li id=\"comment-(\\d+)\" class=\"queue-item\"");
    private static CitusCluster citus;
    private static String database;
    private static Databases coordinator;
    private static Databases shards;

    @BeforeAll
    static void start() {
        citus = CitusCluster.start();
        database = citus.createDatabase();
        coordinator = open(CitusReads.COORDINATOR);
        shards = open(CitusReads.SHARDS);
        Migrations.migrate(coordinator, shard -> { });
        for (int shard = 0; shard < SHARDS; shard++) {
            seed(shard, SITE);
            seed(shard, OTHER_SITE);
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{coordinator, shards, citus}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @AfterEach
    void endStats() {
        QueryStats.end();
    }

    @Test
    void everyQueueInBothOrdersIsTheSamePagesBothWaysAndMatchesTheShardsOneByOne() {
        for (Queue queue : Queue.values()) {
            for (boolean oldest : new boolean[]{false, true}) {
                QueueFilter filter = new QueueFilter(queue, Set.of(SITE), SITE, null, null, null, null, oldest, null);
                List<ReviewQueue.Page> viaCoordinator = walk(coordinator, filter, 1);
                List<ReviewQueue.Page> viaShards = walk(shards, filter, SHARDS);
                assertThat(viaShards).as("%s %s", queue, oldest ? "oldest" : "newest").isEqualTo(viaCoordinator);

                List<Long> expected = idsOneShardAtATime(queueCondition(queue), oldest);
                assertThat(viaCoordinator.stream().flatMap(p -> p.items().stream()).map(ReviewQueue.Item::id).toList())
                        .as("%s %s against the shards read one by one", queue, oldest ? "oldest" : "newest")
                        .containsExactlyElementsOf(expected);
            }
        }
        assertThat(walk(coordinator, new QueueFilter(Queue.RECENT, Set.of(SITE), SITE, null, null, null, null, false,
                null), 1)).as("the recent queue spans several pages").hasSizeGreaterThan(3);
    }

    @Test
    void aNarrowedQueueIsTheSameBothWays() {
        QueueFilter byAuthor = new QueueFilter(Queue.RECENT, Set.of(SITE), SITE, null, "Guest3@Example.org", null,
                null, false, null);
        QueueFilter byRangeAndText = new QueueFilter(Queue.RECENT, Set.of(SITE), SITE, null, null, "10.0.1.0/24",
                "50% off", true, null);
        for (QueueFilter filter : List.of(byAuthor, byRangeAndText)) {
            List<ReviewQueue.Page> viaCoordinator = walk(coordinator, filter, 1);
            assertThat(viaCoordinator.getFirst().items()).isNotEmpty();
            assertThat(walk(shards, filter, SHARDS)).isEqualTo(viaCoordinator);
        }
    }

    @Test
    void countsHistoryAndStatisticsAreTheSameBothWays() {
        QueueCounts.Counts counts = counted(coordinator, 1, db -> new QueueCounts(db).of(Set.of(SITE, OTHER_SITE)));
        QueueCounts.Counts countsByShard = counted(shards, SHARDS, db -> new QueueCounts(db).of(Set.of(SITE, OTHER_SITE)));
        assertThat(countsByShard).isEqualTo(counts);
        assertThat(counts.pending()).isEqualTo(2L * count("state = 'pending'"));

        AuthorHistory.Author author = new AuthorHistory.Author("email", "guest3@example.org");
        List<AuthorHistory.Page> history = new ArrayList<>();
        List<AuthorHistory.Page> historyByShard = new ArrayList<>();
        Long before = null;
        do {
            Long from = before;
            AuthorHistory.Page page = counted(coordinator, 1, db -> new AuthorHistory(db).page(SITE, author, from));
            history.add(page);
            historyByShard.add(counted(shards, SHARDS, db -> new AuthorHistory(db).page(SITE, author, from)));
            before = page.nextBefore();
        } while (before != null);
        assertThat(historyByShard).isEqualTo(history);
        assertThat(history.stream().mapToLong(p -> p.entries().size()).sum()).isEqualTo(count("author_email = 'guest3@example.org'"));

        Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC); // both reads end their last day at the same moment
        List<SiteStats.Day> days = new SiteStats(coordinator, clock).lastDays(SITE);
        assertThat(new SiteStats(shards, clock).lastDays(SITE)).isEqualTo(days);
        assertThat(days.stream().mapToLong(SiteStats.Day::comments).sum()).isPositive();

        QueueFilter recent = new QueueFilter(Queue.RECENT, Set.of(SITE), SITE, null, null, null, null, false, null);
        measure("queue page", db -> new ReviewQueue(db).page(recent));
        measure("queue counts", db -> new QueueCounts(db).of(Set.of(SITE, OTHER_SITE)));
        measure("author history", db -> new AuthorHistory(db).page(SITE, author, null));
        measure("30 days of statistics", db -> new SiteStats(db, clock).lastDays(SITE));
    }

    /** Prints the median time of {@code read} both ways (figures for docs/scale-out.md; nothing is asserted on them). */
    private static void measure(String what, Function<Databases, ?> read) {
        StringBuilder line = new StringBuilder("[measure] Citus, " + SHARDS + " shards, " + what + ", median of "
                + MEASURED_RUNS + " after a warm-up:");
        for (CitusReads reads : CitusReads.values()) {
            Databases db = reads == CitusReads.COORDINATOR ? coordinator : shards;
            read.apply(db);
            long[] nanos = new long[MEASURED_RUNS];
            for (int i = 0; i < MEASURED_RUNS; i++) {
                long started = System.nanoTime();
                read.apply(db);
                nanos[i] = System.nanoTime() - started;
            }
            java.util.Arrays.sort(nanos);
            line.append(String.format(Locale.ROOT, " %s %.1f ms", reads.name().toLowerCase(Locale.ROOT),
                    nanos[MEASURED_RUNS / 2] / 1e6));
        }
        System.out.println(line);
    }

    /**
     * The console's queue page as a moderator gets it, from an instance started on the coordinator with each setting:
     * the same comments in the same order; through the coordinator every shard statement is one (named after the
     * first shard), per shard each shard answers its own — one statement for each site-wide read of the page.
     */
    @Test
    void theConsoleQueueShowsTheSameCommentsEitherWayAndEachShardAnswersPerShard() {
        Map<CitusReads, List<String>> shown = new EnumMap<>(CitusReads.class);
        Map<CitusReads, Map<String, Integer>> targets = new EnumMap<>(CitusReads.class);
        for (CitusReads reads : CitusReads.values()) {
            try (TestServer server = TestServer.startOn(citus.url(database), Map.of("PARLEY_SHARDS",
                    Integer.toString(SHARDS), "PARLEY_CITUS_CROSS_SHARD_READS", reads.name().toLowerCase(Locale.ROOT)))) {
                var accounts = new AccountRepository(server.parley().databases().main());
                accounts.create("boss@example.com", "Boss", Passwords.hash(PASSWORD)).ifPresent(id ->
                        server.mainSql("UPDATE main.account SET is_admin = true WHERE id = " + id));
                WebClient client = server.client();
                client.get("/signin");
                client.post("/signin", Map.of("email", "boss@example.com", "password", PASSWORD));
                HttpResponse<String> page = client.get("/admin/queue?queue=recent");
                assertThat(page.statusCode()).isEqualTo(200);
                shown.put(reads, QUEUE_ITEM.matcher(page.body()).results().map(m -> m.group(1)).toList());
                Map<String, Integer> byTarget = new TreeMap<>();
                for (String part : page.headers().firstValue("X-Parley-Sql-Targets").orElseThrow().split(",")) {
                    String[] kv = part.split("=");
                    byTarget.put(kv[0], Integer.parseInt(kv[1]));
                }
                targets.put(reads, byTarget);
            }
        }
        assertThat(shown.get(CitusReads.COORDINATOR)).hasSize(ReviewQueue.PAGE_SIZE)
                .isEqualTo(shown.get(CitusReads.SHARDS));

        Map<String, Integer> one = targets.get(CitusReads.COORDINATOR);
        Map<String, Integer> each = targets.get(CitusReads.SHARDS);
        System.out.printf("[measure] console queue page on Citus, %d shards: statements through the coordinator %s,"
                + " per shard %s%n", SHARDS, one, each);
        int siteWide = one.get("s0000/primary");
        assertThat(one.keySet()).as("through the coordinator: %s", one).noneMatch(t -> t.startsWith("s000")
                && !t.equals("s0000/primary"));
        assertThat(siteWide).as("the queue, its counts and its authors' records at least").isGreaterThanOrEqualTo(3);
        for (int shard = 0; shard < SHARDS; shard++) {
            // the reports are read only from the shards whose comments on the page were reported
            assertThat(each.get(ShardRouter.schemaOf(shard) + "/primary")).as("per shard: %s", each)
                    .isBetween(siteWide - 1, siteWide);
        }
        assertThat(each.get("main/primary")).as("main statements do not change").isEqualTo(one.get("main/primary"));
    }

    /** Every page of a queue, each read in {@code statements} statements. */
    private static List<ReviewQueue.Page> walk(Databases databases, QueueFilter filter, int statements) {
        ReviewQueue queue = new ReviewQueue(databases);
        List<ReviewQueue.Page> pages = new ArrayList<>();
        QueueFilter next = filter;
        while (true) {
            QueueFilter current = next;
            ReviewQueue.Page page = counted(databases, statements, db -> queue.page(current));
            pages.add(page);
            if (page.nextBefore() == null) {
                return pages;
            }
            assertThat(page.items()).hasSize(ReviewQueue.PAGE_SIZE).last().extracting(ReviewQueue.Item::id)
                    .isEqualTo(page.nextBefore());
            next = current.from(page.nextBefore());
        }
    }

    /** {@code read}'s answer, checking that it took exactly {@code statements} statements. */
    private static <T> T counted(Databases databases, int statements, Function<Databases, T> read) {
        QueryStats stats = QueryStats.begin();
        try {
            T result = read.apply(databases);
            assertThat(stats.count()).as("statements").isEqualTo(statements);
            return result;
        } finally {
            QueryStats.end();
        }
    }

    private static String queueCondition(Queue queue) {
        return switch (queue) {
            case PENDING -> "state = 'pending'";
            case SPAM -> "state = 'spam'";
            case DELETED -> "state = 'deleted'";
            case FLAGGED -> "state = 'approved' AND flag_count > 0";
            case RECENT -> "true";
        };
    }

    /** The site's comment IDs matching {@code where}, each shard asked on its own, merged here. */
    private static List<Long> idsOneShardAtATime(String where, boolean oldest) {
        List<Long> ids = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            citus.coordinator().queryColumn(database, "SELECT id FROM " + ShardRouter.schemaOf(shard) + ".comment"
                    + " WHERE site_id = " + SITE + " AND " + where).forEach(id -> ids.add(Long.parseLong(id)));
        }
        ids.sort(oldest ? Comparator.naturalOrder() : Comparator.reverseOrder());
        return ids;
    }

    /** The site's comments matching {@code where} over every shard. */
    private static long count(String where) {
        long n = 0;
        for (int shard = 0; shard < SHARDS; shard++) {
            n += Long.parseLong(citus.coordinator().queryText(database, "SELECT count(*) FROM "
                    + ShardRouter.schemaOf(shard) + ".comment WHERE site_id = " + SITE + " AND " + where));
        }
        return n;
    }

    /**
     * A thread and {@link #PER_SHARD} comments of {@code site} on {@code shard}, through the coordinator: every
     * state, some flagged, a few authors and addresses, times over the last days, some moderated.
     */
    private static void seed(int shard, long site) {
        String s = ShardRouter.schemaOf(shard);
        // each statement goes to the coordinator, which evaluates next_id() itself and routes the rows to the worker
        String thread = citus.coordinator().queryText(database, "INSERT INTO " + s + ".thread (site_id, key, title)"
                + " VALUES (" + site + ", 'cross-" + shard + "', 'Thread " + shard + "') RETURNING id");
        String[] states = {"approved", "pending", "spam", "deleted", "approved"};
        List<String> rows = new ArrayList<>();
        for (int g = 1; g <= PER_SHARD; g++) {
            long hoursAgoTenths = g * 97L + shard;
            boolean moderated = g % 4 == 0;
            rows.add("(" + thread + ", " + site + ", 0, '', 0, 'Guest " + g % 5 + "', 'guest" + g % 5
                    + "@example.org', 'a', '" + (g % 7 == 0 ? "50% off today" : "comment " + g) + "', '<p>comment "
                    + g + "</p>', '" + states[g % 5] + "', " + (g % 3 == 0 ? 1 + g % 2 : 0) + ", '10.0." + g % 3
                    + "." + (1 + shard) + "', now() - interval '6 minutes' * " + hoursAgoTenths + ", "
                    + (moderated ? "now() - interval '3 minutes' * " + hoursAgoTenths + ", 'pending'" : "NULL, NULL")
                    + ")");
        }
        citus.coordinator().execute(database, "INSERT INTO " + s + ".comment (thread_id, site_id, root_id, path,"
                + " depth, author_name, author_email, author_avatar, body_source, body_html, state, flag_count, ip,"
                + " created_at, first_moderated_at, first_moderated_from) VALUES " + String.join(", ", rows));
    }

    private static Databases open(CitusReads reads) {
        Config config = TestConfig.load(TestConfig.settingsFor(citus.url(database), SHARDS));
        Databases databases = Databases.open(config.clusters(), config.shardMap(), config.connectTimeout(),
                new MetricRegistry());
        databases.onCitus(ClusterConfig.MAIN, reads);
        return databases;
    }
}
