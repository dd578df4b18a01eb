package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guests' comment lists come from Memcached under the thread's version (CommentListCache): one statement (the
 * thread) per page once the list is cached, the same bytes for every guest, the writer's comment on the page they
 * are sent back to, and one render — not one per visitor — when a hot thread changes.
 */
class FragmentCacheIT {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    private static final int VISITORS = 200;
    @RegisterExtension
    static final TestServer server = TestServer.perClassWithMemcached();

    @Test
    void aGuestsSecondViewIsTheStoredPageWithoutSql() {
        server.post(server.thread("cached"), null, "A cached comment");
        String path = TestServer.standalonePath("cached");
        // the site into the object cache, the version into ThreadVersions, the whole page into the page cache
        HttpResponse<String> rendered = server.client().get(path);

        HttpResponse<String> page = server.client().get(path);

        assertThat(sqlCount(rendered)).as("thread and list").isEqualTo(2);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("A cached comment").isEqualTo(rendered.body());
        assertThat(page.headers().firstValue("ETag")).isEqualTo(rendered.headers().firstValue("ETag"));
        assertThat(page.headers().firstValue("Content-Length"))
                .hasValue(Integer.toString(page.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        assertThat(page.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(sqlCount(page)).as("version known, page stored").isZero();
    }

    @Test
    void everyGuestGetsTheSameBytesWithNoTokenAndNoCookie() {
        var thread = server.thread("shared");
        server.post(thread, null, "First");
        server.post(thread, null, "Second");
        String path = TestServer.standalonePath("shared");
        server.client().get(path);

        WebClient ada = server.client();
        WebClient bob = server.client();
        bob.setCookie("parley_session", "s1.left-over-or-forged"); // a guest with some cookie: still a guest
        HttpResponse<String> forAda = ada.get(path);
        HttpResponse<String> forBob = bob.get(path);

        assertThat(sqlCount(forAda)).as("the stored page").isZero();
        assertThat(forBob.body()).isEqualTo(forAda.body());
        assertThat(tokens(forAda.body())).as("no form of a shared page carries a token").isEmpty();
        assertThat(forAda.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(forBob.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(forAda.body()).contains("First", "Second", "data-overlay=\"/t/default/shared/me?sort=oldest\"");
    }

    @Test
    void theWriterSeesTheirCommentOnThePageTheyAreSentBackToAndOthersSeeItNext() {
        String path = TestServer.standalonePath("writer");
        server.post(server.thread("writer"), null, "Before");
        WebClient writer = server.client();
        writer.get(path);
        assertThat(sqlCount(writer.get(path))).as("the old version is stored").isZero();

        HttpResponse<String> posted = writer.post(path, Map.of("name", "Writer", "body", "Just written"));
        HttpResponse<String> back = writer.follow(posted);

        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).contains("Just written").contains("Before");
        assertThat(sqlCount(back)).as("a new version: the list is rendered").isEqualTo(2);
        HttpResponse<String> other = server.client().get(path);
        assertThat(other.body()).contains("Just written");
        assertThat(sqlCount(other)).as("the writer's list is shared; the page is rendered around it").isEqualTo(1);
        HttpResponse<String> again = server.client().get(path);
        assertThat(sqlCount(again)).as("the new version's page is stored").isZero();
        assertThat(again.body()).isEqualTo(other.body()).contains("Just written");
    }

    @Test
    void aSignedInViewerWithoutScriptHasTheirListRenderedForThemEveryTime() {
        server.post(server.thread("member"), null, "For members");
        String path = TestServer.standalonePath("member");
        server.client().get(path);
        WebClient member = server.client();
        member.get("/signup");
        member.post("/signup", Map.of("email", "member@example.com", "name", "Member", "password", "correct horse battery"));
        member.get(path);

        HttpResponse<String> page = member.get(path);

        assertThat(page.body()).contains("For members").contains("Member");
        assertThat(sqlCount(page)).isEqualTo(2);
        assertThat(tokens(page.body())).containsOnly(member.csrf());
    }

    @Test
    void whenAHotThreadChangesTwoHundredGuestsCauseOneRender() throws Exception {
        var thread = server.thread("viral");
        for (int i = 0; i < 30; i++) {
            server.post(thread, null, "Comment " + i);
        }
        String path = TestServer.standalonePath("viral");
        server.client().get(path); // version v is rendered and cached
        server.post(thread, null, "The change"); // version v + 1: nobody has rendered it

        List<HttpResponse<String>> pages = concurrently(VISITORS, path);

        int statements = 0;
        int renders = 0;
        for (HttpResponse<String> page : pages) {
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Comment 29");
            assertThat(sqlCount(page)).isBetween(0, 2);
            statements += sqlCount(page);
            // the thread row, and for the one render its list; those after the render get the stored page: 0
            renders += sqlCount(page) == 2 ? 1 : 0;
        }
        assertThat(renders).as("one render for %d guests", VISITORS).isEqualTo(1);
        assertThat(statements).isLessThanOrEqualTo(VISITORS + 1);
        assertThat(server.client().get(path).body()).contains("The change");
    }

    private static List<HttpResponse<String>> concurrently(int n, String path) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                WebClient guest = server.client();
                futures.add(pool.submit(() -> {
                    go.await();
                    return guest.get(path);
                }));
            }
            go.countDown();
            List<HttpResponse<String>> pages = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                pages.add(f.get());
            }
            return pages;
        }
    }

    private static Set<String> tokens(String html) {
        Set<String> found = new HashSet<>();
        Matcher m = CSRF.matcher(html);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }

    static int sqlCount(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }
}
