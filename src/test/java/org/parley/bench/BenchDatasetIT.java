package org.parley.bench;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.discussion.CommentThread;
import org.parley.discussion.ThreadRepository;
import org.parley.site.Site;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.THREAD;

/**
 * The benchmark's dataset generator at a tiny size: what it writes is what Parley would have written by posting —
 * each thread in its shard, IDs from that shard, every denormalised counter and path right — and pages show it.
 * Keeps the generator from rotting while the schema moves on.
 */
class BenchDatasetIT {
    private static final Pattern COMMENT_ID = Pattern.compile("<li id=\"comment-(\\d+)\"");
    private static final Pattern MORE = Pattern.compile("<p class=\"more\"><a href=\"([^\"]+)\"");
    private static final DatasetSpec SPEC = new DatasetSpec("bench", 2, "http://localhost:1234", List.of(10, 300),
            4, 10, 60, 7, 2);

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static DatasetGenerator.Report report;
    private static final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeAll
    static void generate() {
        report = new DatasetGenerator(server.parley().databases(), new PrintStream(progress, true, StandardCharsets.UTF_8))
                .generate(SPEC);
    }

    @Test
    void writesEveryPlannedThreadAndSaysSo() {
        assertThat(report.threads()).isEqualTo(6);
        assertThat(report.skipped()).isZero();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("bench-data: done: 6 threads");
        assertThat(new SiteRepository(server.parley().databases().main()).byName("bench-2")).isPresent();
    }

    @Test
    void theThreadPageShowsTheGeneratedCountAndEveryVisibleCommentAcrossItsPages() {
        CommentThread thread = thread("bench", "n300");
        Map<Long, Row> rows = rows(thread);
        assertThat(rows).hasSize(300);

        WebClient guest = server.client();
        Set<Long> shown = new LinkedHashSet<>();
        String path = "/t/bench/n300";
        int pages = 0;
        while (path != null) {
            HttpResponse<String> page = guest.get(path.replace("&amp;", "&"));
            assertThat(page.statusCode()).isEqualTo(200);
            if (pages == 0) {
                assertThat(page.body()).contains("%,d comments".formatted(thread.commentCount()));
            }
            Matcher ids = COMMENT_ID.matcher(page.body());
            while (ids.find()) {
                shown.add(Long.parseLong(ids.group(1)));
            }
            Matcher more = MORE.matcher(page.body());
            path = more.find() ? more.group(1) : null;
            pages++;
        }
        // 75 top-level comments: two pages of 50
        assertThat(pages).isEqualTo(2);
        assertThat(shown).containsExactlyInAnyOrderElementsOf(visible(rows));
    }

    @Test
    void countersPathsAndIdsAreWhatPostingWouldHaveWritten() {
        var router = new ShardRouter(server.parley().databases().shardMap().shardCount());
        List<CommentThread> threads = new ArrayList<>();
        for (String site : List.of("bench", "bench-2")) {
            Site s = new SiteRepository(server.parley().databases().main()).byName(site).orElseThrow();
            threads.addAll(threadsOf(s));
        }
        assertThat(threads).hasSize(6);
        long comments = 0;
        for (CommentThread thread : threads) {
            assertThat(thread.shard()).isEqualTo(router.shardOf(thread.siteId(), thread.key()));
            Map<Long, Row> rows = rows(thread);
            comments += rows.size();
            assertThat(thread.commentCount()).as("comment_count of %s", thread.key())
                    .isEqualTo(rows.values().stream().filter(r -> r.state.equals("approved")).count());
            assertThat(thread.version()).isEqualTo(rows.size() + 1L);
            Map<Long, Integer> replies = new HashMap<>();
            rows.values().stream().filter(r -> r.parentId != null && !r.state.equals("deleted"))
                    .forEach(r -> replies.merge(r.parentId, 1, Integer::sum));
            for (Row r : rows.values()) {
                assertThat(Ids.shardOf(r.id)).isEqualTo(thread.shard());
                assertThat(r.id).isGreaterThan(thread.id());
                assertThat(r.replyCount).as("reply_count of %d", r.id).isEqualTo(replies.getOrDefault(r.id, 0));
                String own = "%016x".formatted(r.id);
                if (r.parentId == null) {
                    assertThat(r.depth).isZero();
                    assertThat(r.rootId).isEqualTo(r.id);
                    assertThat(r.path).isEqualTo(own);
                } else {
                    Row parent = rows.get(r.parentId);
                    assertThat(parent).as("parent of %d in the same thread", r.id).isNotNull();
                    assertThat(parent.id).isLessThan(r.id);
                    assertThat(r.depth).isEqualTo(parent.depth + 1);
                    assertThat(r.rootId).isEqualTo(parent.rootId);
                    assertThat(r.path).isEqualTo(parent.path + "." + own);
                }
            }
        }
        assertThat(comments).isEqualTo(report.comments());
    }

    @Test
    void runningAgainSkipsWhatIsThereAndAddsNothing() {
        var again = new DatasetGenerator(server.parley().databases(), new PrintStream(new ByteArrayOutputStream()))
                .generate(SPEC);
        assertThat(again.threads()).isZero();
        assertThat(again.skipped()).isEqualTo(6);
        assertThat(rows(thread("bench", "n10"))).hasSize(10);
    }

    @Test
    void aTotalIsMetExactlyWithTheNamedThreadsAndRandomOnesOverEverySite() {
        var spec = new DatasetSpec("total", 3, "http://localhost:1234", List.of(50), 0, 10, 40, 11, 2, 1_000);
        var written = new DatasetGenerator(server.parley().databases(), new PrintStream(new ByteArrayOutputStream()))
                .generate(spec);
        assertThat(written.comments()).isEqualTo(1_000);
        var repository = new SiteRepository(server.parley().databases().main());
        long stored = 0;
        for (String name : List.of("total", "total-2", "total-3")) {
            List<CommentThread> threads = threadsOf(repository.byName(name).orElseThrow());
            assertThat(threads).as("threads of %s", name).isNotEmpty();
            for (CommentThread t : threads) {
                stored += rows(t).size();
            }
        }
        assertThat(stored).isEqualTo(1_000);
        assertThat(rows(thread("total", "n50"))).hasSize(50);
    }

    @Test
    void aTotalBelowTheNamedThreadsIsRefusedWithTheNumbers() {
        assertThatThrownBy(() -> new DatasetSpec("bench", 1, "http://localhost:1234", List.of(500), 0, 10, 40, 1, 1, 100))
                .hasMessage("--total (100) is below the comments of the --threads (500)");
    }

    @Test
    void withCachingOffEveryViewOfAGeneratedPageReadsPostgresqlInThreeStatements() {
        try (TestServer uncached = TestServer.start(Map.of("PARLEY_CACHE", "off"))) {
            new DatasetGenerator(uncached.parley().databases(), new PrintStream(new ByteArrayOutputStream()))
                    .generate(new DatasetSpec("bench", 1, "http://localhost:1234", List.of(200), 0, 10, 10, 3, 1));
            WebClient guest = uncached.client();
            String first = null;
            for (int view = 1; view <= 3; view++) {
                HttpResponse<String> page = guest.get("/t/bench/n200");
                assertThat(page.statusCode()).isEqualTo(200);
                // the site, the thread, the page of comments: nothing comes from a cache, however often it is seen
                assertThat(page.headers().firstValue("X-Parley-Sql-Count")).as("view %d", view).hasValue("3");
                // rendered each time, sent as rendered: the same page, with its length (not compressed: none asked)
                assertThat(page.body()).contains("id=\"comment-").contains("</html>");
                assertThat(page.headers().firstValue("Content-Length"))
                        .hasValue(Integer.toString(page.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
                if (first == null) {
                    first = page.body();
                }
                assertThat(page.body()).as("view %d", view).isEqualTo(first);
            }
        }
    }

    private static CommentThread thread(String site, String key) {
        Site s = new SiteRepository(server.parley().databases().main()).byName(site).orElseThrow();
        return new ThreadRepository(server.parley().databases()).find(s.id(), key).orElseThrow();
    }

    /** Every thread of a site, found by looking in every shard (the generator must have put each in its own). */
    private static List<CommentThread> threadsOf(Site site) {
        var databases = server.parley().databases();
        var repository = new ThreadRepository(databases);
        List<CommentThread> threads = new ArrayList<>();
        for (int shard = 0; shard < databases.shardMap().shardCount(); shard++) {
            for (String key : databases.read(shard).select(THREAD.KEY).from(THREAD).where(THREAD.SITE_ID.eq(site.id()))
                    .fetch(THREAD.KEY)) {
                threads.add(repository.find(site.id(), key).orElseThrow());
            }
        }
        return threads;
    }

    private record Row(long id, Long parentId, long rootId, String path, int depth, String state, int replyCount) {
    }

    private static Map<Long, Row> rows(CommentThread thread) {
        DSLContext shard = server.parley().databases().read(thread.shard());
        Map<Long, Row> rows = new java.util.TreeMap<>();
        shard.select(COMMENT.ID, COMMENT.PARENT_ID, COMMENT.ROOT_ID, COMMENT.PATH, COMMENT.DEPTH, COMMENT.STATE,
                        COMMENT.REPLY_COUNT)
                .from(COMMENT)
                .where(COMMENT.THREAD_ID.eq(thread.id()))
                .forEach(r -> rows.put(r.value1(), new Row(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        r.value6(), r.value7())));
        return rows;
    }

    /** What a guest sees: approved comments and tombstones of removed ones with replies, under visible parents. */
    private static Set<Long> visible(Map<Long, Row> rows) {
        Set<Long> visible = new HashSet<>();
        for (Row r : rows.values()) { // ascending ids: parents before their replies
            boolean self = r.state.equals("approved") || r.state.equals("deleted") && r.replyCount > 0;
            if (self && (r.parentId == null || visible.contains(r.parentId))) {
                visible.add(r.id);
            }
        }
        return visible;
    }
}
