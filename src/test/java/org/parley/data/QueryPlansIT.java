package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.discussion.CommentRepository;
import org.parley.discussion.CommentThread;
import org.parley.discussion.Sort;
import org.parley.moderation.SpamSignals;
import org.parley.testing.TestServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.data.PartitionRows.addTopLevel;
import static org.parley.data.PartitionRows.assumedRows;
import static org.parley.data.PartitionRows.hotPartitionOf;
import static org.parley.data.PartitionRows.lines;
import static org.awaitility.Awaitility.await;

/**
 * The hot path's queries use their indexes and skip partitions older than the thread — proven by PostgreSQL's
 * own EXPLAIN of the exact SQL the page runs, on a shard with enough rows (and fresh statistics) that the
 * planner would choose a sequential scan if an index were missing.
 */
class QueryPlansIT {
    private static final int OTHER_THREADS = 40;
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static CommentThread big;

    @BeforeAll
    static void load() throws Exception {
        big = server.thread("plans-big");
        TAKEN_SHARDS.add(big.shard());
        String schema = ShardRouter.schemaOf(big.shard());
        try (Connection c = server.parley().databases().primaryOf("main").getConnection(); Statement s = c.createStatement()) {
            fill(s, schema, big.id(), 6_000);
            for (int i = 0; i < OTHER_THREADS; i++) {
                CommentThread other = server.thread("plans-other-" + i);
                if (other.shard() == big.shard()) {
                    fill(s, schema, other.id(), 300);
                }
            }
            // enough threads that reading the table whole would cost more than the unique index
            s.execute("INSERT INTO " + schema + ".thread (site_id, key) SELECT 1, 'filler-' || g FROM generate_series(1, 5000) g");
            s.execute("ANALYZE " + schema + ".comment");
            s.execute("ANALYZE " + schema + ".thread");
        }
    }

    /** Top-level rows, and a reply under each of the first 1000 (with its id after the parent's). */
    private static void fill(Statement s, String schema, long threadId, int count) throws Exception {
        addTopLevel(s, schema, threadId, 1, count);
        s.execute("""
                INSERT INTO %1$s.comment (id, thread_id, site_id, parent_id, root_id, path, depth, author_name,
                                          author_avatar, body_source, body_html, state)
                SELECT %2$d + g * 2 + 1, %2$d, 1, %2$d + g * 2, %2$d + g * 2,
                       lpad(to_hex(%2$d + g * 2), 16, '0') || '.' || lpad(to_hex(%2$d + g * 2 + 1), 16, '0'), 1,
                       'r', '0123456789abcdef', 'b', '<p>b</p>', 'approved'
                  FROM generate_series(1, %3$d) g
                """.formatted(schema, threadId, Math.min(count, 1000)));
    }

    @ParameterizedTest
    @EnumSource(Sort.class)
    void aPageOfCommentsUsesItsIndexesAndSkipsOlderPartitions(Sort sort) throws Exception {
        String plan = explain(pageSql(sort));

        // the thread's rows are all in this month's partition; empty future partitions may be read whole (free)
        String hot = hotPartition();
        assertThat(plan).doesNotContain("Seq Scan on " + hot);
        // per-partition copies of comment_top_by_score / comment_top_by_id / comment_subtree
        assertThat(plan).contains(hot + (sort == Sort.BEST ? "_thread_id_score_id_idx" : "_thread_id_id_idx"));
        assertThat(plan).contains(hot + "_thread_id_root_id_path_idx");
        assertThat(plan).as("partition for rows older than the thread is pruned").doesNotContain("comment_p000000");
        assertMonthsAheadOnlyProbedForSubtrees(plan);
    }

    /**
     * The top-level comments' reads prune the partitions made ahead; a subtree's read has no upper bound (see
     * CommentRepository.InThread#holdsFromItsStart), so it may look into them, by their root index or, as they are
     * empty files, by a scan the planner costs at nothing. Neither reads a page.
     */
    private static void assertMonthsAheadOnlyProbedForSubtrees(String plan) {
        for (String line : plan.split("\n")) {
            for (String ahead : monthsAhead()) {
                if (line.contains(ahead + " ") || line.contains(ahead + "_")) {
                    assertThat(line).as("a partition made ahead is read only for subtrees, and it is empty")
                            .satisfiesAnyOf(
                                    l -> assertThat(l).contains("Index Scan using " + ahead + "_thread_id_root_id_path_idx"),
                                    l -> assertThat(l).contains("Seq Scan on " + ahead + " ").contains("(cost=0.00..0.00 "));
                }
            }
        }
    }

    /**
     * The partitions made ahead for months no comment can be in yet: past the month of {@link Ids#ceiling}. Each
     * one planned costs (the page was planned slower than it ran with the three made ahead), though empty.
     */
    private static String[] monthsAhead() {
        var format = java.time.format.DateTimeFormatter.ofPattern("yyyyMM");
        var last = java.time.YearMonth.from(Ids.createdAt(Ids.ceiling(java.time.Instant.now()))
                .atZone(java.time.ZoneOffset.UTC));
        return java.util.stream.IntStream.rangeClosed(1, PartitionMaintenance.MONTHS_AHEAD + 1)
                .mapToObj(i -> "comment_p" + format.format(last.plusMonths(i)))
                .toArray(String[]::new);
    }

    /**
     * The same page as a generic plan: the one plan PostgreSQL may settle on for a server-prepared statement
     * (pgjdbc prepares on the server after five uses, PostgreSQL weighs a generic plan after five more) and then
     * use for every thread. Forced here, so the page stays on its indexes whichever plan the cache picks. A generic
     * plan prunes partitions as it starts to run rather than when planned: the months ahead never show.
     */
    @ParameterizedTest
    @EnumSource(Sort.class)
    void theGenericPlanOfAPageStaysOnItsIndexes(Sort sort) throws Exception {
        List<String> plans = genericPlans(shard -> new CommentRepository().page(shard, big, sort, null, null));

        assertThat(plans).hasSize(1);
        String plan = plans.getFirst();
        assertThat(plan).doesNotContain("Seq Scan on " + hotPartition());
        assertThat(plan).contains(hotPartition() + (sort == Sort.BEST ? "_thread_id_score_id_idx" : "_thread_id_id_idx"));
        assertThat(plan).contains(hotPartition() + "_thread_id_root_id_path_idx");
        assertMonthsAheadOnlyProbedForSubtrees(plan);
    }

    /**
     * A thread that is most of its partition (a shard's new month, a viral thread): generic plans are costed for
     * that "average" thread. With 50 000 comments, a page's LIMIT (a parameter, assumed to keep a tenth of the
     * rows) made a plain join's plan read the whole thread and hash-join it to the page's top-level comments: 24 ms
     * a page in bench/run, against 0.3 ms. With 200 in a small partition, a subtree bounded by two ID parameters was
     * costed as nearly empty and read by ID for each top-level comment: 2.6 ms against 0.3. Either way the page
     * must read each top-level comment's subtree by the (thread, root, path) index, in a nested loop.
     */
    @ParameterizedTest
    @MethodSource("sortsAndSizes")
    void theGenericPlanOfAPageReadsSubtreesByTheIndexWhenOneThreadFillsThePartition(Sort sort, int comments)
            throws Exception {
        CommentThread alone = aloneInItsShard(comments);
        List<String> plans = genericPlans(alone, shard -> new CommentRepository().page(shard, alone, sort, null, null));
        assertThat(plans).hasSize(1);
        String plan = plans.getFirst();

        assertThat(plan).doesNotContain("Hash Join").doesNotContain("Merge Join").contains("Nested Loop");
        assertThat(plan).contains(hotPartitionOf(alone) + "_thread_id_root_id_path_idx");
        assertThat(plan).doesNotContain("Seq Scan on " + hotPartitionOf(alone));
    }

    static Stream<Arguments> sortsAndSizes() {
        return Stream.of(Sort.values()).flatMap(sort -> Stream.of(Arguments.of(sort, 50_000), Arguments.of(sort, 150)));
    }

    private static final Map<Integer, CommentThread> ALONE = new HashMap<>();
    /** Shards that hold one of this class's threads with their own statistics: the big one's, and each alone's. */
    private static final Set<Integer> TAKEN_SHARDS = new HashSet<>();

    /**
     * A thread of that many top-level comments (and up to 1 000 replies), the only one with comments in its shard.
     * At 30 000 the plain join still kept its nested loop; at 50 000 it did not.
     */
    private static synchronized CommentThread aloneInItsShard(int comments) throws Exception {
        CommentThread found = ALONE.get(comments);
        if (found == null) {
            found = inAShardOfItsOwn("plans-alone-" + comments);
            String schema = ShardRouter.schemaOf(found.shard());
            try (Connection c = server.parley().databases().primaryOf("main").getConnection();
                 Statement s = c.createStatement()) {
                fill(s, schema, found.id(), comments);
                s.execute("ANALYZE " + schema + ".comment");
            }
            ALONE.put(comments, found);
        }
        return found;
    }

    /**
     * The redirect after a post (the page that ends at the new comment) runs on every post: if PostgreSQL settles on
     * generic plans for its two statements (it mostly keeps custom plans for the first, bench/README "Plans kept"),
     * those plans, for a guest and for a member, stay on the thread's index range as well.
     */
    @ParameterizedTest
    @EnumSource(Sort.class)
    void theGenericPlansOfTheRedirectAfterAPostStayOnTheThreadsRows(Sort sort) throws Exception {
        long comment = big.id() + 2 * 3_000; // a top-level comment half-way through the thread
        for (Long viewer : java.util.Arrays.asList(null, 1L)) {
            List<String> plans = genericPlans(shard -> new CommentRepository().pageEndingAt(shard, big.id(), comment,
                    sort, viewer));

            assertThat(plans).as("both statements: the comment is far from the first page").hasSize(2);
            assertThat(plans).allSatisfy(plan -> {
                assertThat(plan).doesNotContain("Seq Scan on " + hotPartition());
                assertThat(plan).contains(hotPartition() + "_thread_id");
                assertThat(plan).as("partitions made ahead are pruned").doesNotContain(monthsAhead());
            });
        }
    }

    /**
     * The same for the redirect after a post in the oldest and newest sorts, which needs one statement: it walks
     * back from the comment's top-level one along the thread's index in the index's order and stops after a page's
     * worth. A sort in its plan would mean reading every earlier comment of the thread (as an earlier
     * version's generic plan did), which grows with the thread.
     */
    @ParameterizedTest
    @EnumSource(value = Sort.class, names = {"OLDEST", "NEWEST"})
    void theGenericPlanOfTheRedirectFromATopLevelCommentWalksBackAlongTheThreadsIndex(Sort sort) throws Exception {
        long comment = big.id() + 2 * 3_000; // a top-level comment half-way through the thread
        for (Long viewer : java.util.Arrays.asList(null, 1L)) {
            List<String> plans = genericPlans(shard -> new CommentRepository().pageEndingAtTopLevel(shard, big.id(),
                    comment, sort, viewer));

            assertThat(plans).hasSize(1);
            String plan = plans.getFirst();
            assertThat(plan).doesNotContain("Seq Scan on " + hotPartition());
            assertThat(plan).contains("Index Scan" + (sort == Sort.OLDEST ? " Backward" : "") + " using "
                    + hotPartition() + "_thread_id_id_idx ");
            assertThat(plan).as("walks the index in order and stops").doesNotContain("Sort");
            assertThat(plan).as("the top-level comment's own row by its key").contains(hotPartition() + "_pkey");
            assertThat(plan).as("partitions made ahead are pruned").doesNotContain(monthsAhead());
        }
    }

    /**
     * The same when the plan was made while the thread's partition held a single comment: a pooled connection keeps
     * it until the partition is analysed again (autovacuum's next look, a minute by default), and a thread that
     * takes thousands of comments in that minute is read with it (compare.sh's POST series: 13 000 in a minute). The
     * cheapest plan for one row is a sequential scan and a sort; kept as the thread grew, it read every earlier
     * top-level comment on every post, 10–20 ms a run at 13 000 (bench/README "Plans kept from a
     * small partition"). Planned with index walks only ({@link IndexWalk}), it reads a page's worth at any size.
     */
    @ParameterizedTest
    @EnumSource(value = Sort.class, names = {"OLDEST", "NEWEST"})
    void theGenericPlanOfTheRedirectWalksBackEvenWhenMadeOnANearlyEmptyPartition(Sort sort) throws Exception {
        CommentThread young = aloneInANearlyEmptyPartition();
        long comment = young.id() + 2; // its one comment
        for (Long viewer : java.util.Arrays.asList(null, 1L)) {
            List<String> plans = genericPlans(young, shard -> new CommentRepository().pageEndingAtTopLevel(shard,
                    young.id(), comment, sort, viewer));

            assertThat(plans).hasSize(1);
            String plan = plans.getFirst();
            assertThat(plan).as("walks the index in order and stops").doesNotContain("Sort");
            assertThat(plan).doesNotContain("Seq Scan on " + hotPartitionOf(young));
            assertThat(plan).contains("Index Scan" + (sort == Sort.OLDEST ? " Backward" : "") + " using "
                    + hotPartitionOf(young) + "_thread_id_id_idx ");
            // which index finds the top-level comment's row and the pinned ones stays the planner's choice: costed
            // for one row, PostgreSQL 18 takes any index that holds the ID (its skip scan makes many do)
        }
    }

    /**
     * Index walks leave the choice among indexes to the planner, and costed for one row every index looks alike.
     * A connection keeps the plan it made while the thread's partition held one comment as the thread grows: on
     * PostgreSQL 18 that plan counts the pinned comments through the index of all top-level ones, which at 20 000
     * comments reads all 20 000 (1 000 pages a post at 6 000 in compare.sh's POST series). Once the partition has
     * doubled, {@link PartitionStatistics} analyses it; PostgreSQL then plans the statement again, and counts them
     * through the index of pinned ones.
     */
    @ParameterizedTest
    @EnumSource(value = Sort.class, names = {"OLDEST", "NEWEST"})
    void aPlanKeptFromANearlyEmptyPartitionIsRemadeOnceTheGrownPartitionIsAnalysed(Sort sort) throws Exception {
        CommentThread thread = inAShardOfItsOwn("plans-grown-" + sort);
        String schema = ShardRouter.schemaOf(thread.shard());
        String partition = schema + "." + hotPartitionOf(thread);
        try (Connection c = server.parley().databases().primaryOf("main").getConnection();
             Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + partition + " SET (autovacuum_enabled = false)"); // the job's analysis only
            addTopLevel(s, schema, thread.id(), 1, 1);
            s.execute("ANALYZE " + partition);
        }
        List<Captured> statements = statementsOf(thread, shard -> new CommentRepository().pageEndingAtTopLevel(shard,
                thread.id(), thread.id() + 2, sort, null));
        assertThat(statements).extracting(Captured::inTransaction).as("one transaction").containsExactly(true, true);
        assertThat(statements.getFirst().sql()).isEqualTo(IndexWalk.SETTINGS);
        Captured redirect = statements.get(1);
        try (Connection c = server.parley().databases().primaryOf("main").getConnection();
             Statement kept = c.createStatement()) {
            kept.execute("PREPARE kept AS " + redirect.sql());
            try {
                String small = keptPlan(c, redirect.values());
                try (Connection other = server.parley().databases().primaryOf("main").getConnection();
                     Statement s = other.createStatement()) {
                    addTopLevel(s, schema, thread.id(), 2, 20_000);
                    s.execute("SELECT pg_stat_force_next_flush()");
                }
                String grown = keptPlan(c, redirect.values());
                if (assumedRows(kept, partition) < 20_000) { // else the instance's own run of the job was quicker
                    assertThat(grown).as("kept as the partition grew").isEqualTo(small);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    new PartitionStatistics(server.parley().databases()).runOnce();
                    return assumedRows(kept, partition) >= 20_000;
                });

                String remade = keptPlan(c, redirect.values());
                String pinnedCount = remade.substring(remade.indexOf("InitPlan 1"), remade.indexOf("InitPlan 2"));
                assertThat(pinnedCount).contains("Index Scan using " + partialIndex(thread, "pinned") + " ");
                assertThat(remade).doesNotContain("Sort").doesNotContain("Seq Scan on " + hotPartitionOf(thread));
            } finally {
                kept.execute("DEALLOCATE kept");
            }
        }
    }

    /** The plan the prepared statement {@code kept} runs on now, in a transaction set up as IndexWalk sets it. */
    private static String keptPlan(Connection c, String values) throws Exception {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute(IndexWalk.SETTINGS);
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE kept(" + values + ")")) {
                return lines(rs);
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /** A thread with no comments yet, in a shard no other thread of this class has filled. */
    private static synchronized CommentThread inAShardOfItsOwn(String prefix) {
        assertThat(TAKEN_SHARDS).as("a shard left for %s", prefix).hasSizeLessThan(server.parley().databases()
                .shardMap().shardCount());
        CommentThread found = null;
        for (int i = 0; found == null || TAKEN_SHARDS.contains(found.shard()); i++) {
            found = server.thread(prefix + "-" + i);
        }
        TAKEN_SHARDS.add(found.shard());
        return found;
    }

    /** The name of {@code thread}'s partition's index whose definition ends {@code WHERE <predicate>}. */
    private static String partialIndex(CommentThread thread, String predicate) throws Exception {
        try (Connection c = server.parley().databases().primaryOf("main").getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = '"
                     + ShardRouter.schemaOf(thread.shard()) + "' AND tablename = '" + hotPartitionOf(thread)
                     + "' AND indexdef LIKE '% WHERE " + predicate + "'")) {
            assertThat(rs.next()).as("an index of %s where %s", hotPartitionOf(thread), predicate).isTrue();
            return rs.getString(1);
        }
    }

    private static CommentThread young;

    /** A thread with one comment, alone in its shard: its partition holds that one row, analysed. */
    private static synchronized CommentThread aloneInANearlyEmptyPartition() throws Exception {
        if (young == null) {
            CommentThread found = inAShardOfItsOwn("plans-young");
            String schema = ShardRouter.schemaOf(found.shard());
            try (Connection c = server.parley().databases().primaryOf("main").getConnection();
                 Statement s = c.createStatement()) {
                addTopLevel(s, schema, found.id(), 1, 1);
                s.execute("ANALYZE " + schema + ".comment");
            }
            young = found;
        }
        return young;
    }

    /**
     * The spam heuristics' statement runs on every post and counts the author's recent posts among all of the site's:
     * its generic plan must find them through the author's index, whichever kind of author, or each post would read
     * every post of the last ten minutes (written as one statement choosing the column with a CASE, it could not).
     */
    @Test
    void theGenericPlansOfTheSpamChecksFindTheAuthorsRecentPostsByTheirIndex() throws Exception {
        try (Connection c = server.parley().databases().primaryOf("main").getConnection();
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO main.post_trace (site_id, account_id, ip, text_hash, at)"
                    + " SELECT 1, CASE WHEN g % 3 = 0 THEN g END, ('10.0.0.0'::inet + g), md5(g::text),"
                    + " now() - make_interval(secs => g % 500) FROM generate_series(1, 30000) g");
            s.execute("ANALYZE main.post_trace");
        }
        String guest = genericPlans(main -> new SpamSignals(main)
                .check(1, null, "10.9.9.9", "a guest's comment", 0)).getFirst();
        String member = genericPlans(main -> new SpamSignals(main)
                .check(1, 42L, "10.9.9.9", "a member's comment", 0)).getFirst();

        assertThat(guest).contains("post_trace_ip").doesNotContain("Seq Scan on post_trace");
        assertThat(member).contains("post_trace_account").doesNotContain("Seq Scan on post_trace");
    }

    @Test
    void aThreadIsFoundByItsUniqueKey() throws Exception {
        String schema = ShardRouter.schemaOf(big.shard());
        String plan = explain("SELECT * FROM " + schema + ".thread WHERE site_id = " + big.siteId()
                + " AND key = 'plans-big'");
        assertThat(plan).contains("Index Scan using thread_site_id_key_key");
    }

    @Test
    void aSiteIsFoundByItsUniqueName() throws Exception {
        assertThat(explain("SELECT * FROM main.site WHERE name = 'default'")).doesNotContain("Seq Scan on site ")
                .satisfiesAnyOf(p -> assertThat(p).contains("site_name_key"),
                        // a one-row table may be read whole: that is the planner being right, not an index missing
                        p -> assertThat(p).contains("Seq Scan on site"));
    }

    /** The SQL CommentRepository.page runs, with its values inlined, captured from jOOQ as it executes. */
    private static String pageSql(Sort sort) {
        List<String> captured = new ArrayList<>();
        ExecuteListener capture = new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                captured.add(ctx.dsl().renderInlined(ctx.query()));
            }
        };
        DSLContext shard = shardWatchedBy(capture);
        var page = new CommentRepository().page(shard, big, sort, null, null);
        assertThat(page.comments()).isNotEmpty();
        assertThat(captured).hasSize(1);
        return captured.getFirst();
    }

    /**
     * The generic plan (EXPLAIN EXECUTE under force_generic_plan) of each statement that {@code run} makes, each
     * prepared with its $n parameters as pgjdbc sends them, on one of Parley's pooled connections.
     */
    private static List<String> genericPlans(java.util.function.Consumer<DSLContext> run) throws Exception {
        return genericPlans(big, run);
    }

    /** A statement as a repository ran it: its SQL ($n placeholders), its values inlined, and whether in a transaction. */
    private record Captured(String sql, String values, boolean inTransaction) {
    }

    /** Each statement that {@code run} makes on the shard of {@code thread}. */
    private static List<Captured> statementsOf(CommentThread thread, java.util.function.Consumer<DSLContext> run) {
        List<Captured> captured = new ArrayList<>();
        ExecuteListener capture = new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                String sql = ctx.dsl().renderNamedParams(ctx.query()).replaceAll("(?<![:\\w]):(\\d+)", "\\$$1");
                List<String> values = ctx.query().getBindValues().stream()
                        .map(v -> ctx.dsl().renderInlined(DSL.inline(v))).toList();
                try {
                    captured.add(new Captured(sql, String.join(", ", values), !ctx.connection().getAutoCommit()));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        run.accept(shardWatchedBy(capture, thread));
        return captured;
    }

    /**
     * The same on the shard of {@code thread}, in transactions as the statements ran: IndexWalk's settings apply to
     * the statement after them in its transaction, and to nothing else.
     */
    private static List<String> genericPlans(CommentThread thread, java.util.function.Consumer<DSLContext> run)
            throws Exception {
        List<String> plans = new ArrayList<>();
        try (Connection c = server.parley().databases().primaryOf("main").getConnection();
             Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            c.setAutoCommit(false);
            try {
                for (Captured statement : statementsOf(thread, run)) {
                    if (!statement.inTransaction() || statement.sql().equals(IndexWalk.SETTINGS)) {
                        c.rollback(); // a statement of its own, or a transaction's first: nothing set before applies
                    }
                    if (statement.sql().equals(IndexWalk.SETTINGS)) {
                        s.execute(statement.sql());
                    } else {
                        plans.add(genericPlan(c, s, statement));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                s.execute("RESET plan_cache_mode"); // the connection goes back to the pool
            }
        }
        return plans;
    }

    private static String genericPlan(Connection c, Statement s, Captured statement) throws Exception {
        s.execute("PREPARE generic_plan AS " + statement.sql());
        try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE generic_plan(" + statement.values() + ")")) {
            return lines(rs);
        } catch (SQLException e) {
            c.rollback(); // the transaction is aborted: end it, so that the statement can be let go and e be seen
            throw e;
        } finally {
            s.execute("DEALLOCATE generic_plan");
        }
    }

    /** The big thread's shard as the repositories see it, each statement shown to {@code capture}. */
    private static DSLContext shardWatchedBy(ExecuteListener capture) {
        return shardWatchedBy(capture, big);
    }

    /** The shard of {@code thread} as the repositories see it, each statement shown to {@code capture}. */
    private static DSLContext shardWatchedBy(ExecuteListener capture, CommentThread thread) {
        return DSL.using(new DefaultConfiguration()
                .set(server.parley().databases().primaryOf("main"))
                .set(SQLDialect.POSTGRES)
                .set(new Settings().withRenderMapping(new RenderMapping().withSchemata(new MappedSchema()
                        .withInput(Databases.SHARD_TEMPLATE_SCHEMA).withOutput(ShardRouter.schemaOf(thread.shard())))))
                .set(capture));
    }

    private static String hotPartition() {
        return hotPartitionOf(big);
    }

    private static String explain(String sql) throws Exception {
        try (Connection c = server.parley().databases().primaryOf("main").getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            return lines(rs);
        }
    }
}
