package org.parley.discussion;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.parley.account.Avatars;
import org.parley.testing.SameRendering;
import org.parley.web.Languages;
import org.parley.web.Templates;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page-equality test of issue 18: the shared comment list written by {@link SharedListWriter} is byte for byte
 * what thread/comments.html renders, for comments of every kind (removed with replies, edited, pinned, archived,
 * pending, Gravatar and Parley avatars, names that need escaping, right-to-left text), on the standalone page and
 * in the embed, open, closed and locked, with and without a next page, in every language. The templates render
 * inside a real Jetty request, as in Parley.
 */
class SharedListWriterTest {
    static final List<String> languages = Languages.SUPPORTED;

    private static final Templates templates = new Templates();
    private static SameRendering rendering;

    @BeforeAll
    static void start() {
        rendering = SameRendering.start((req, resp) -> {
            List<String> differences = new ArrayList<>();
            for (SharedListWriter.Shown shown : variants(Languages.of(req))) {
                String template = templates.renderToString(req, resp, "thread/comments", model(shown));
                String written = new String(SharedListWriter.write(shown), StandardCharsets.UTF_8);
                if (!template.equals(written)) {
                    differences.add(shown + "\n template: " + template + "\n written:  " + written);
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
    void theWrittenListIsWhatTheTemplateRenders(String language) {
        assertThat(rendering.in(language)).isEqualTo("identical");
    }

    private static List<SharedListWriter.Shown> variants(java.util.Locale locale) {
        List<CommentView> all = comments();
        List<SharedListWriter.Shown> variants = new ArrayList<>();
        for (boolean embed : new boolean[] {false, true}) {
            String shownIn = embed ? "?embed=default&theme=dark&sort=newest" : "";
            variants.add(new SharedListWriter.Shown(all, null, shownIn, embed, false, false, null, locale));
            variants.add(new SharedListWriter.Shown(all, "/t/default/k?sort=newest&after=1-2", shownIn, embed, true,
                    false, 20L, locale));
            variants.add(new SharedListWriter.Shown(all, null, shownIn, embed, false, true, 15L, locale));
            variants.add(new SharedListWriter.Shown(List.of(), null, shownIn, embed, false, false, null, locale));
        }
        return variants;
    }

    private static List<CommentView> comments() {
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 5, 3, 30, 7, 0, ZoneOffset.UTC);
        return List.of(
                comment(10, null, 0, "Ada \uD83D\uDE00", Avatars.keyFor(null, "Ada"), "<p>Plain &amp; simple \uD83C\uDF89</p>\n",
                        CommentView.State.APPROVED, 3, at, null, false),
                comment(11, 10L, 1, "<script>alert(\"x\")</script> & 'O'Brien'",
                        Avatars.gravatarKeyFor("someone@example.com"), "<p>Escaped name, Gravatar</p>\n",
                        CommentView.State.APPROVED, -2, at, null, false),
                comment(12, null, 0, "Gone", Avatars.keyFor(null, "Gone"), "", CommentView.State.DELETED, 0, at,
                        null, false),
                comment(13, 12L, 1, "مرحبا بكم", Avatars.keyFor(null, "مرحبا"), "<p dir=\"auto\">نص</p>\n",
                        CommentView.State.APPROVED, 0, at, at.plusMinutes(2), true),
                comment(14, null, 0, "Held", Avatars.keyFor(null, "Held"), "<p>Waiting</p>\n",
                        CommentView.State.PENDING, 0, at, null, false),
                comment(25, 14L, 7, "Deep", Avatars.keyFor("deep@example.com", "Deep"), "<ul><li>x</li></ul>\n",
                        CommentView.State.APPROVED, 1, at, at.plusDays(1), false));
    }

    private static CommentView comment(long id, Long parent, int depth, String name, String avatar, String body,
                                       CommentView.State state, int score, OffsetDateTime created,
                                       OffsetDateTime edited, boolean pinned) {
        return new CommentView(id, parent, depth, null, name, avatar, body, state, score, Math.max(score, 0),
                Math.max(-score, 0), 0, created, edited, 0, pinned);
    }

    /** thread/comments.html's model for the shared list, as ThreadPages builds it for nobody in particular. */
    private static Map<String, Object> model(SharedListWriter.Shown shown) {
        Map<String, Object> model = new HashMap<>();
        model.put("comments", shown.comments());
        model.put("changeable", Set.of());
        model.put("moreUrl", shown.moreUrl());
        model.put("shownIn", shown.shownIn());
        model.put("embed", shown.embed());
        model.put("closed", shown.closed());
        model.put("historicalBefore", shown.historicalBefore());
        model.put("locked", shown.locked());
        model.put("csrf", null);
        return model;
    }
}
