package org.parley.disqus;

import org.junit.jupiter.api.Test;
import org.parley.disqus.ExportItem.ExportThread;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadMatcherTest {
    @Test
    void aPagesAddressIsWrittenOneWay() {
        assertThat(ThreadMatcher.page("https://www.Example.org/2011/03/post/?utm_source=x#comments"))
                .isEqualTo(ThreadMatcher.page("http://example.org/2011/03/post"))
                .isEqualTo("example.org/2011/03/post");
        assertThat(ThreadMatcher.page("https://example.org:8443/a/")).isEqualTo("example.org:8443/a");
        assertThat(ThreadMatcher.page("https://example.org/a")).isNotEqualTo(ThreadMatcher.page("https://example.org/b"));
        assertThat(ThreadMatcher.page("not a url")).isNull();
        assertThat(ThreadMatcher.page(null)).isNull();
    }

    @Test
    void anIdentifierWinsThenTheSamePageThenANewKey() {
        Map<String, String> existing = new HashMap<>();
        existing.put("hello-world", "https://blog.example.org/other-page");
        existing.put("ep-229", "https://www.podcast.example.com/2011/03/229_8880.html?ref=feed");
        existing.put("no-url", null);
        var matcher = new ThreadMatcher(existing, Map.of());

        assertThat(matcher.key(thread("hello-world", "http://blog.example.org/hello-world/"))).isEqualTo("hello-world");
        assertThat(matcher.key(thread("new-id", "http://podcast.example.com/2011/03/229_8880.html")))
                .as("an identifier the site does not have, but a page it has").isEqualTo("ep-229");
        assertThat(matcher.key(thread(null, "http://podcast.example.com/2011/03/229_8880.html"))).isEqualTo("ep-229");
        assertThat(matcher.key(thread("fresh", "https://elsewhere.example/"))).isEqualTo("fresh");
        assertThat(matcher.key(thread(null, "https://elsewhere.example/x"))).isEqualTo("https://elsewhere.example/x");
        assertThat(matcher.key(thread(null, null))).isNull();
    }

    @Test
    void aMovedPageIsMatchedAndStoredUnderItsNewAddress() {
        var matcher = new ThreadMatcher(Map.of("new-229", "https://new.example/ep/229"),
                Map.of("http://old.example/2011/03/229.html", "https://new.example/ep/229"));
        ExportThread moved = thread(null, "https://www.old.example/2011/03/229.html/");

        assertThat(matcher.link(moved)).isEqualTo("https://new.example/ep/229");
        assertThat(matcher.key(moved)).isEqualTo("new-229");
        assertThat(matcher.link(thread(null, "https://old.example/other"))).isEqualTo("https://old.example/other");
    }

    private static ExportThread thread(String identifier, String link) {
        return new ExportThread(1, identifier, link, "t", false, false, null, 1);
    }
}
