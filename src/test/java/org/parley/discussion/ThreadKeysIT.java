package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any key the embed accepts round-trips through every URL Parley makes for it, as a browser would follow them
 * (dot segments removed, "\" read as "/"): create the thread through the embed, open "Open on its own page",
 * post as a guest on the standalone page and in the embed and follow the redirect, open the permalink — all 200
 * and showing the comment. Links made before, with %2F in the key, still open their thread.
 */
class ThreadKeysIT {
    private static final Pattern STANDALONE_LINK = Pattern.compile("<p class=\"standalone-link\">\\s*<a href=\"([^\"]+)\"");
    private static final Pattern FORM = Pattern.compile("<form class=\"comment-form\" method=\"post\" action=\"([^\"]+)\"");
    private static final Pattern PERMALINK = Pattern.compile("<a href=\"(/c/\\d+)\"[^>]*><time>");
    /** What browsers read as "." and ".." in a path, encoded or not (WHATWG URL, "single-dot / double-dot segment"). */
    private static final Set<String> DOT = Set.of(".", "%2e");
    private static final Set<String> DOT_DOT = Set.of("..", ".%2e", "%2e.", "%2e%2e");

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void everyKeyTheEmbedAcceptsWorksOnItsOwnPageInItsPostsAndInItsPermalinks() {
        for (String key : ThreadUrlsTest.TRICKY_KEYS) {
            WebClient guest = server.client();
            String embed = "/embed/default?key=" + enc(key) + "&url=" + enc(TestServer.ORIGIN + "/page/" + enc(key))
                    + "&title=" + enc("Article " + key);
            HttpResponse<String> framed = guest.get(embed);
            assertThat(framed.statusCode()).as("embed of [%s]", key).isEqualTo(200);

            String standalone = browserPath(first(STANDALONE_LINK, framed, "Open on its own page"));
            HttpResponse<String> own = guest.get(standalone);
            assertThat(own.statusCode()).as("[%s] on its own page %s", key, standalone).isEqualTo(200);
            assertThat(own.body()).as("[%s] at %s", key, standalone).contains("No comments yet");

            String onOwnPage = "On its own page, key " + key.hashCode();
            HttpResponse<String> shown = postAndFollow(guest, own, onOwnPage, key);
            assertThat(shown.body()).as("[%s] after posting on its own page", key).contains(onOwnPage);

            String inFrame = "In the frame, key " + key.hashCode();
            HttpResponse<String> shownInFrame = postAndFollow(guest, guest.get(embed), inFrame, key);
            assertThat(shownInFrame.body()).as("[%s] after posting in the frame", key).contains(inFrame, "thread-embed");

            String permalink = browserPath(first(PERMALINK, shownInFrame, "a permalink"));
            HttpResponse<String> redirect = guest.get(permalink);
            assertThat(redirect.statusCode()).as("[%s] permalink %s", key, permalink).isEqualTo(302);
            HttpResponse<String> linked = guest.get(browserPath(location(redirect)));
            assertThat(linked.statusCode()).as("[%s] permalink led to %s", key, location(redirect)).isEqualTo(200);
            assertThat(linked.body()).as("[%s] via its permalink", key).contains(inFrame, onOwnPage);
        }
    }

    /** Before, keys were written percent-encoded only, "/" as %2F: such links keep working, posting included. */
    @Test
    void olderLinksWithAnEncodedSlashStillOpenAndPostToTheirThread() {
        server.post(server.thread("2024/11/post"), null, "Written before");
        String older = "/t/default/2024%2F11%2Fpost";
        WebClient guest = server.client();

        HttpResponse<String> page = guest.get(older);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Written before");

        HttpResponse<String> posted = guest.post(older + "?sort=oldest", Map.of("name", "Olga", "body", "Posted through an older link"));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
        assertThat(location(posted)).startsWith(ThreadUrls.standalone("default", "2024/11/post") + "?sort=oldest&posted=approved#comment-");
        assertThat(guest.follow(posted).body()).contains("Written before", "Posted through an older link");
        assertThat(server.client().get(older).body()).as("stored once").containsOnlyOnce("Posted through an older link");
    }

    private static HttpResponse<String> postAndFollow(WebClient guest, HttpResponse<String> page, String body, String key) {
        String action = browserPath(first(FORM, page, "the comment form"));
        HttpResponse<String> posted = guest.post(action, Map.of("name", "Kim", "body", body));
        assertThat(posted.statusCode()).as("[%s] posting to %s:\n%s", key, action, posted.body()).isEqualTo(302);
        String next = browserPath(location(posted));
        HttpResponse<String> shown = guest.get(next);
        assertThat(shown.statusCode()).as("[%s] following %s", key, next).isEqualTo(200);
        return shown;
    }

    /**
     * The path and query a browser requests for an href on one of Parley's pages: "&amp;" read as "&", the
     * fragment dropped, "\" read as "/" and dot segments removed (RFC 3986 5.2.4, with WHATWG's encoded dots).
     */
    static String browserPath(String href) {
        String url = href.replace("&amp;", "&");
        int hash = url.indexOf('#');
        url = hash >= 0 ? url.substring(0, hash) : url;
        URI uri = URI.create("http://parley.test").resolve(url.replace('\\', '/'));
        Deque<String> kept = new ArrayDeque<>();
        String[] segments = uri.getRawPath().split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i].toLowerCase(Locale.ROOT);
            boolean last = i == segments.length - 1;
            if (DOT_DOT.contains(segment)) {
                kept.pollLast();
                if (last) {
                    kept.add("");
                }
            } else if (DOT.contains(segment)) {
                if (last) {
                    kept.add("");
                }
            } else {
                kept.add(segments[i]);
            }
        }
        return "/" + String.join("/", kept) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static String first(Pattern pattern, HttpResponse<String> page, String what) {
        Matcher m = pattern.matcher(page.body());
        assertThat(m.find()).as("%s on %s:\n%s", what, page.uri(), page.body()).isTrue();
        return m.group(1);
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("expected a redirect, got " + response.statusCode() + ":\n" + response.body()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void theBrowserPathOfAnHrefDropsDotSegmentsAsBrowsersDo() {
        assertThat(browserPath("/t/default/..?sort=oldest&amp;after=1#x")).isEqualTo("/t/?sort=oldest&after=1");
        assertThat(browserPath("/t/default/%2E%2e")).isEqualTo("/t/");
        assertThat(browserPath("/t/default/.")).isEqualTo("/t/default/");
        assertThat(browserPath("/t/default/a%2F..%2Fb")).isEqualTo("/t/default/a%2F..%2Fb");
        assertThat(browserPath("/t/default/~Li4")).isEqualTo("/t/default/~Li4");
        assertThat(List.of(browserPath("/c/1"))).containsExactly("/c/1");
    }
}
