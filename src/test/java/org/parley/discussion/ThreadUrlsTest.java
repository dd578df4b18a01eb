package org.parley.discussion;

import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadUrlsTest {
    /** Keys a host page may well use (data-key, or its path by default) that a bare path segment cannot carry. */
    static final List<String> TRICKY_KEYS = List.of("a/b", "/2024/11/post/", "a\\b", "100%", "%2e%2e", "a%2Fb", ".",
            "..", "a/../b", "../../admin", "./x", "~", "~john", "tab\there", "sp ace", " lead", "ünï/cödé", "q?x", "h#x",
            "p+q", "semi;colon", "a//b", "...", "日本語");

    @Test
    void plainKeysKeepTheLinksTheyAlwaysHad() {
        assertThat(ThreadUrls.standalone("default", "post-42")).isEqualTo("/t/default/post-42");
        assertThat(ThreadUrls.standalone("default", "café")).isEqualTo("/t/default/caf%C3%A9");
        assertThat(ThreadUrls.standalone("default", "q?x#y")).isEqualTo("/t/default/q%3Fx%23y");
        assertThat(ThreadUrls.standalone("default", "sp ace+")).isEqualTo("/t/default/sp%20ace%2B");
        assertThat(ThreadUrls.standalone("default", "...")).isEqualTo("/t/default/...");
    }

    @Test
    void keysThatAPathCannotCarryAreWrittenAsBase64Url() {
        assertThat(ThreadUrls.standalone("default", "/2024/11/post/")).isEqualTo("/t/default/~LzIwMjQvMTEvcG9zdC8");
        assertThat(ThreadUrls.keySegment("..")).isEqualTo("~Li4");
        for (String key : List.of("a/b", "a\\b", "100%", ".", "..", "~john", "tab\there")) {
            assertThat(ThreadUrls.keySegment(key)).as(key).matches("~[A-Za-z0-9_-]+");
        }
    }

    /** Whatever the key, its segment read back the way the route table reads it (percent-decoded, then keyOf) is it. */
    @Test
    void everyKeyRoundTripsThroughItsSegment() {
        List<String> keys = new ArrayList<>(TRICKY_KEYS);
        for (char c = 1; c < 0x80; c++) {
            keys.add(String.valueOf(c));
            keys.add("a" + c + "b");
            keys.add(c + "" + c);
        }
        for (String key : keys) {
            String segment = ThreadUrls.keySegment(key);
            assertThat(segment).as("segment of [%s]", key).doesNotContain("/", "%2F", "%5C", "%25").isNotIn(".", "..");
            assertThat(ThreadUrls.keyOf(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)))
                    .as("key read back from %s", segment).isEqualTo(key);
        }
    }

    @Test
    void olderLinksAndHandTypedTildesStillNameTheirKeys() {
        assertThat(ThreadUrls.keyOf("a/b")).as("/t/default/a%2Fb, as links were made before").isEqualTo("a/b");
        assertThat(ThreadUrls.keyOf("~john")).isEqualTo("~john");
        assertThat(ThreadUrls.keyOf("~")).isEqualTo("~");
        assertThat(ThreadUrls.keyOf("~Li4=")).as("not the form Parley writes (padding)").isEqualTo("~Li4=");
        assertThat(ThreadUrls.keyOf("~cG9zdA")).as("base64 of a plain key: never written so").isEqualTo("~cG9zdA");
    }

    @Test
    void theSiteOfAnEmbedUrlIsReadBackFromIt() {
        assertThat(ThreadUrls.embedSite("/embed/default?key=post-42&sort=oldest")).hasValue("default");
        assertThat(ThreadUrls.embedSite("/embed/my%20blog?key=a#comment-1")).hasValue("my blog");
        assertThat(ThreadUrls.embedSite(ThreadUrls.embed("a/b", new ThreadUrls.EmbedParams("k", null, null, null))))
                .hasValue("a/b");
    }

    @Test
    void otherUrlsNameNoEmbedSite() {
        assertThat(ThreadUrls.embedSite("/t/default/post-42")).isEmpty();
        assertThat(ThreadUrls.embedSite("/embed/?key=a")).isEmpty();
        assertThat(ThreadUrls.embedSite("/embed/%zz?key=a")).isEmpty();
        assertThat(ThreadUrls.embedSite(null)).isEmpty();
    }
}
