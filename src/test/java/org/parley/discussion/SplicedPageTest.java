package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.parley.account.Avatars;
import org.parley.site.Site;
import org.parley.testing.SameRendering;
import org.parley.web.Languages;
import org.parley.web.Templates;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thread page with its comment list spliced in as bytes ({@code Templates.renderPage(req, resp, template,
 * model, block)}) is byte for byte the page Thymeleaf renders with the list in its
 * model: standalone and embed, every language, a title that tries to pass for the splice's marker, and a list
 * that contains the marker itself. Rendered inside a real Jetty request, as in Parley.
 */
class SplicedPageTest {
    static final List<String> languages = Languages.SUPPORTED;
    private static final String MARKER_LOOKALIKE = "<!--parley:block:7f3a-->";

    private static final Templates templates = new Templates();
    private static SameRendering rendering;

    @BeforeAll
    static void start() {
        rendering = SameRendering.start((req, resp) -> {
            List<String> differences = new ArrayList<>();
            for (String template : List.of("thread/show", "thread/embed")) {
                for (String title : List.of("", "A title", MARKER_LOOKALIKE)) {
                    Map<String, Object> model = model(template.endsWith("embed"), title, Languages.of(req));
                    byte[] whole = templates.renderPage(req, resp, template, model);
                    byte[] spliced = templates.renderPage(req, resp, template, model, "commentList");
                    if (!Arrays.equals(whole, spliced)) {
                        differences.add(template + " titled '" + title + "':\n whole:   " + text(whole)
                                + "\n spliced: " + text(spliced));
                    }
                    // the list as ThreadPages keeps it: UTF-8 bytes, spliced without being decoded
                    Map<String, Object> withBytes = new HashMap<>(model);
                    withBytes.put("commentList", ((String) model.get("commentList"))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    byte[] fromBytes = templates.renderPage(req, resp, template, withBytes, "commentList");
                    if (!Arrays.equals(whole, fromBytes)) {
                        differences.add(template + " titled '" + title + "', list as bytes:\n whole:   " + text(whole)
                                + "\n spliced: " + text(fromBytes));
                    }
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
    void theSplicedPageIsThePageTheTemplateRenders(String language) {
        assertThat(rendering.in(language)).isEqualTo("identical");
    }

    private static String text(byte[] page) {
        return new String(page, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** What ThreadPages puts in a shared page's model, with a written list of a few comments. */
    private static Map<String, Object> model(boolean embed, String title, java.util.Locale locale) {
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 5, 3, 30, 7, 0, ZoneOffset.UTC);
        List<CommentView> comments = List.of(
                new CommentView(10, null, 0, null, "Ada ▲", Avatars.keyFor(null, "Ada"), "<p>Plain &amp; ▼ simple</p>\n",
                        CommentView.State.APPROVED, 3, 3, 0, 0, at, null, 0, false),
                new CommentView(11, 10L, 1, null, "مرحبا", Avatars.keyFor(null, "m"), "<p>" + MARKER_LOOKALIKE + "</p>\n",
                        CommentView.State.APPROVED, 0, 0, 0, 0, at, null, 0, false));
        String list = new String(SharedListWriter.write(new SharedListWriter.Shown(comments, "/t/default/k?after=1-2",
                "", embed, false, false, null, locale)), java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> model = new HashMap<>();
        model.put("commentList", list);
        model.put("site", new Site(1, "default", "The <default> site", true, false, Duration.ofMinutes(15), 10_000,
                false, true, "en"));
        model.put("thread", new CommentThread(42, 1, "k", "https://example.com/post?a=1&b=2", title, 2, at, false,
                false, 7));
        model.put("sort", Sort.OLDEST);
        model.put("sortOptions", List.of("oldest", "newest", "best"));
        model.put("sortUrls", Map.of("oldest", "/t/default/k", "newest", "/t/default/k?sort=newest",
                "best", "/t/default/k?sort=best"));
        model.put("pageUrl", "/t/default/k");
        model.put("standaloneUrl", "/t/default/k");
        model.put("feeds", List.of());
        model.put("postUrl", "/t/default/k");
        model.put("overlayUrl", "/t/default/k/me");
        model.put("embed", embed);
        model.put("theme", embed ? "dark" : null);
        model.put("pendingNotice", false);
        model.put("postedNotice", false);
        model.put("guestsAllowed", true);
        model.put("closed", false);
        return model;
    }
}
