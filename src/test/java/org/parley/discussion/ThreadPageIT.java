package org.parley.discussion;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread page's cost does not grow with the thread: at most two SQL statements (the thread, and one query for a
 * page of top-level comments with all their replies) for 10 comments and for 2 000, on every page, once the site
 * is in the object cache; one more (the site) the first time a site is read in a minute. A guest's comment list
 * may come from the fragment cache, which saves the second statement (FragmentCacheIT shows when). A signed-in
 * viewer's account comes from the object cache too, and their list is always rendered: two statements.
 */
class ThreadPageIT {
    private static final Pattern COMMENT_ID = Pattern.compile("<li id=\"comment-(\\d+)\"");
    private static final Pattern MORE = Pattern.compile("<p class=\"more\"><a href=\"([^\"]+)\"");
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @BeforeAll
    static void start() throws Exception {
        build("small", 10);
        build("large", 2_000);
    }

    @Test
    void aPageCostsTwoStatementsFor10And2000CommentsWithTheSiteCached() {
        WebClient visitor = server.client();
        HttpResponse<String> small = visitor.get(TestServer.standalonePath("small"));
        HttpResponse<String> large = visitor.get(TestServer.standalonePath("large"));

        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(large.statusCode()).isEqualTo(200);
        // 0 when another test already had this page stored (docs/caching.md, "Whole pages")
        assertThat(sqlCount(small)).isBetween(0, 2);
        assertThat(sqlCount(large)).isBetween(0, 2);
        assertThat(ids(small.body())).hasSize(10);
        assertThat(small.body()).contains("10 comments");
        assertThat(large.body()).contains("2,000 comments");
    }

    @Test
    void everyCommentOfALargeThreadIsReachableThroughLoadMoreAtTheSameCost() {
        WebClient visitor = server.client();
        List<String> seen = new ArrayList<>();
        String path = TestServer.standalonePath("large");
        int pages = 0;
        while (path != null) {
            HttpResponse<String> page = visitor.get(path.replace("&amp;", "&"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(sqlCount(page)).as("statements for page %d", pages + 1).isBetween(0, 2);
            seen.addAll(ids(page.body()));
            Matcher more = MORE.matcher(page.body());
            path = more.find() ? more.group(1) : null;
            pages++;
        }
        assertThat(seen).hasSize(2_000).doesNotHaveDuplicates();
        assertThat(pages).isGreaterThan(1);
    }

    @Test
    void theEmbedCostsTwoStatementsTooWithTheSiteAndItsOriginsCached() {
        HttpResponse<String> embed = server.client().get(TestServer.embedPath("large"));
        assertThat(embed.statusCode()).isEqualTo(200);
        assertThat(sqlCount(embed)).isBetween(0, 2);
    }

    @Test
    void aColdSiteCacheCostsTheSiteQueryOnceThenTheSiteIsCached() {
        var sites = new SiteRepository(server.parley().databases().main(), server.parley().cache());
        sites.invalidate(server.site());
        WebClient visitor = server.client();

        // the page is stored since warmSiteCache and its version known: only the site is read, once
        assertThat(sqlCount(visitor.get(TestServer.standalonePath("small")))).isEqualTo(1);
        assertThat(sqlCount(visitor.get(TestServer.standalonePath("small")))).isZero();
    }

    @Test
    void aSignedInViewerCostsNoMoreOnceTheirAccountIsCached() {
        WebClient member = server.client();
        member.get("/signup");
        HttpResponse<String> signedUp = member.post("/signup", Map.of("email", "reader@example.com",
                "name", "Reader", "password", "correct horse battery"));
        assertThat(signedUp.statusCode()).as(signedUp.body()).isEqualTo(302);
        member.get(TestServer.standalonePath("small")); // the first look reads the account

        HttpResponse<String> page = member.get(TestServer.standalonePath("small"));

        assertThat(page.body()).contains("Reader");
        assertThat(sqlCount(page)).isEqualTo(2);
    }

    @Test
    void repliesFollowTheirParentInReadingOrderWithEachSort() {
        var thread = server.thread("order");
        long first = server.post(thread, null, "first");
        long second = server.post(thread, null, "second");
        long reply = server.post(thread, first, "reply to first");
        long nested = server.post(thread, reply, "reply to the reply");
        long laterReply = server.post(thread, first, "second reply to first");

        String base = TestServer.standalonePath("order");
        assertThat(ids(server.client().get(base + "?sort=oldest").body()))
                .containsExactly(id(first), id(reply), id(nested), id(laterReply), id(second));
        assertThat(ids(server.client().get(base + "?sort=newest").body()))
                .containsExactly(id(second), id(first), id(reply), id(nested), id(laterReply));
    }

    @Test
    void textInAnyScriptComesBackAsWrittenOnThePageTheEmbedAndTheReplyForm() {
        // the page reads bodies as PostgreSQL's UTF-8 bytes and copies them into the page (CommentView.bodyUtf8):
        // one, two and three bytes a character, each where it belongs
        String text = "Grüße — Ελληνικά, русский, العربية, 日本語, עברית";
        var thread = server.thread("scripts");
        long id = server.post(thread, null, text);

        for (String path : List.of(TestServer.standalonePath("scripts"), TestServer.embedPath("scripts"), "/c/" + id + "/reply")) {
            HttpResponse<String> page = server.client().get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.body()).as(path).contains("<p>" + text + "</p>");
        }
    }

    /** 30 % of the comments answer an earlier one, so pages carry whole subtrees of varying depth. */
    private static void build(String key, int count) throws Exception {
        var thread = server.thread(key);
        List<Long> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        ids.add(server.post(thread, null, "The first comment of " + key));
        var random = new java.util.Random(42);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> posts = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                boolean reply = random.nextInt(10) < 3;
                int n = i;
                posts.add(pool.submit(() -> {
                    Long parent = reply ? ids.get(new java.util.Random(n).nextInt(ids.size())) : null;
                    ids.add(server.post(thread, parent, "Comment " + n + " with *markdown* & <escaping>"));
                }));
            }
            for (Future<?> post : posts) {
                post.get();
            }
        }
    }

    /** The first page of a site reads it from the database; after that it comes from the object cache. */
    @BeforeEach
    void warmSiteCache() {
        assertThat(server.client().get(TestServer.standalonePath("small")).statusCode()).isEqualTo(200);
        assertThat(server.client().get(TestServer.embedPath("small")).statusCode()).isEqualTo(200);
    }

    private static int sqlCount(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }

    private static List<String> ids(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = COMMENT_ID.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static String id(long id) {
        return Long.toString(id);
    }
}
