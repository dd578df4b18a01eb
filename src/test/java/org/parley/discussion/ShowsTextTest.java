package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.parley.testing.RandomText;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A comment must show some text: {@link CommentService#showsText} reads the rendered HTML for it. */
class ShowsTextTest {
    /** The rule as it was first written: remove every tag, and see whether anything but whitespace is left. */
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    @Test
    void anImageOrARuleAloneShowsNothing() {
        assertThat(CommentService.showsText("<p><img src=\"x.png\" alt=\"\"></p>\n")).isFalse();
        assertThat(CommentService.showsText("<hr>\n")).isFalse();
        assertThat(CommentService.showsText("")).isFalse();
    }

    @Test
    void wordsAnEntityOrAStrayBracketShowSomething() {
        assertThat(CommentService.showsText("<p>Hello</p>")).isTrue();
        assertThat(CommentService.showsText("<p>&amp;</p>")).isTrue();
        assertThat(CommentService.showsText("<p> a < b")).isTrue();
    }

    @Test
    void itAnswersAsRemovingTheTagsDid() {
        String alphabet = "<>< > a\n\t\u00A0\u2003\u3000&;\uD83D\uDE00/p";
        for (String s : RandomText.strings(alphabet, 10, 20_000)) {
            assertThat(CommentService.showsText(s)).as("showsText(%s)", s)
                    .isEqualTo(!TAG.matcher(s).replaceAll("").isBlank());
        }
    }
}
