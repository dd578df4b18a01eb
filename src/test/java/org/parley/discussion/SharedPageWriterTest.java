package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.parley.site.Site;
import org.parley.testing.SameRendering;
import org.parley.web.Languages;
import org.parley.web.Templates;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared thread page written by {@link SharedPageWriter} is byte for byte what thread/show.html and
 * thread/embed.html render for nobody in particular: standalone and embed, open, closed and locked, guests allowed
 * or not, with and without a source address and a title (both needing escaping), a forced theme, every sort, counts
 * that take each plural form, a page address that needs URL encoding, in every language.
 */
class SharedPageWriterTest {
    static final List<String> languages = Languages.SUPPORTED;

    private static final Templates templates = new Templates();
    private static SameRendering rendering;

    @BeforeAll
    static void start() {
        rendering = SameRendering.start((req, resp) -> {
            List<String> differences = new ArrayList<>();
            for (SharedPageWriter.Shown shown : variants(Languages.of(req))) {
                String list = "<ol class=\"comments\"><li>▲ a comment ▼</li></ol>";
                byte[] template = templates.renderPage(req, resp, shown.embed() ? "thread/embed" : "thread/show",
                        ThreadPages.frameModel(shown, list));
                byte[] written = SharedPageWriter.write(shown, templates.assets(), list.getBytes(StandardCharsets.UTF_8));
                if (!Arrays.equals(template, written)) {
                    differences.add(shown + "\n template: " + new String(template, StandardCharsets.UTF_8)
                            + "\n written:  " + new String(written, StandardCharsets.UTF_8));
                }
            }
            return differences;
        });
    }

    @AfterAll
    static void stop() {
        if (rendering != null) {
            rendering.close();
        }
    }

    @ParameterizedTest
    @FieldSource("languages")
    void theWrittenPageIsWhatTheTemplateRenders(String language) {
        assertThat(rendering.in(language)).isEqualTo("identical");
    }

    private static List<SharedPageWriter.Shown> variants(Locale locale) {
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 5, 3, 30, 7, 0, ZoneOffset.UTC);
        List<SharedPageWriter.Shown> variants = new ArrayList<>();
        int n = 0;
        for (boolean embed : new boolean[] {false, true}) {
            for (int state = 0; state < 3; state++) { // open, closed, locked
                for (boolean guests : new boolean[] {true, false}) {
                    for (Sort sort : Sort.values()) {
                        n++;
                        String key = n % 2 == 0 ? "k" : "ключ-<&>";
                        String title = n % 3 == 0 ? "" : "A <title> & «quotes» \"" + n + "\"";
                        String url = n % 4 == 0 ? null : "https://example.com/post?a=1&b=<2>";
                        int count = new int[] {0, 1, 2, 3, 5, 11, 21, 100}[n % 8];
                        Site site = new Site(1, "default", "The <default> & site", guests, false,
                                Duration.ofMinutes(15), 10_000, state == 1 && n % 2 == 0, true, "en");
                        CommentThread thread = new CommentThread(775436929591175169L + n, 1, key, url, title, count,
                                at, state == 1, state == 2, 200 + n);
                        String base = embed ? "/t/default/" + key + "?embed=default&url=https%3A%2F%2Fh.example%2F%3Fa%3D1"
                                : "/t/default/" + key;
                        String pageUrl = ThreadUrls.withPage(base, sort, n % 5 == 0 ? "12-775436929591175200" : null);
                        variants.add(new SharedPageWriter.Shown(site, thread, sort, Map.of(
                                "oldest", ThreadUrls.withPage(base, Sort.OLDEST, null),
                                "newest", ThreadUrls.withPage(base, Sort.NEWEST, null),
                                "best", ThreadUrls.withPage(base, Sort.BEST, null)), pageUrl,
                                "/t/default/" + key, embed ? List.of() : List.of(
                                        new ThreadPages.FeedLink("application/atom+xml", "Comments (Atom)",
                                                "/t/default/" + key + "/atom"),
                                        new ThreadPages.FeedLink("application/rss+xml", "Comments (RSS)",
                                                "/t/default/" + key + "/rss")),
                                ThreadUrls.withPage(base, sort, null), pageUrl.replaceFirst("\\?", "/me?"), embed,
                                embed && n % 2 == 0 ? "dark" : null, site.closed() || thread.closed(), locale));
                    }
                }
            }
        }
        return variants;
    }
}
