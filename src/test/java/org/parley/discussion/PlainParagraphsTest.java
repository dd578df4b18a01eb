package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.web.DisplayText;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short way for plain comments must give the bytes the parser and sanitiser give, or stored comments would
 * differ by the path they took: every text it accepts is checked against {@link Markdown#parsed}.
 */
class PlainParagraphsTest {
    /** Letters of several scripts, digits and every punctuation character the short way lets through. */
    private static final String ALPHABET = "abcxyzABCXYZéßøЖжλ中文한ا0123456789" + PlainParagraphs.PUNCTUATION;

    /** Every character of the Basic Multilingual Plane, inside a word and opening a line. */
    @Test
    void everyCharacterTheShortWayAcceptsRendersAsTheParserRendersIt() {
        int accepted = 0;
        for (int c = 0; c <= 0xFFFF; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            for (String text : new String[] {"Word" + (char) c + "word", (char) c + "word"}) {
                String clean = DisplayText.cleanBody(text);
                if (!clean.isBlank() && PlainParagraphs.plain(clean)) {
                    accepted++;
                    assertThat(PlainParagraphs.toHtml(clean)).as("U+%04X in %s", c, text)
                            .isEqualTo(Markdown.parsed(clean));
                }
            }
        }
        assertThat(accepted).as("characters the short way took").isGreaterThan(40_000);
    }

    @Test
    void everyAcceptedCharacterRendersAsTheParserRendersIt() {
        for (char c : ALPHABET.toCharArray()) {
            assertThat(PlainParagraphs.plain("Word" + c + "word")).as("plain with %s", c).isTrue();
            for (String text : new String[] {"Word" + c + "word", "A" + c, "Ab" + c + c + "cd" + c + "e", "Say " + c}) {
                if (PlainParagraphs.plain(text)) {
                    assertSameAsParsed(text);
                }
            }
        }
    }

    @Test
    void randomPlainTextsRenderAsTheParserRendersThem() {
        Random random = new Random(18);
        int accepted = 0;
        for (int n = 0; n < 5_000; n++) {
            var text = new StringBuilder();
            int length = 1 + random.nextInt(120);
            for (int i = 0; i < length; i++) {
                int pick = random.nextInt(ALPHABET.length() + 6);
                text.append(pick < ALPHABET.length() ? ALPHABET.charAt(pick) : pick % 2 == 0 ? "\n" : "\n\n");
            }
            String clean = DisplayText.cleanBody(text.toString());
            if (!clean.isBlank() && PlainParagraphs.plain(clean)) {
                accepted++;
                assertSameAsParsed(clean);
            }
        }
        assertThat(accepted).as("random texts the short way took").isGreaterThan(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "This is a benchmark comment with a realistic length, about three hundred characters, so that the insert "
                + "path does real work: validation, the duplicate check. Run x-1-2",
        "It's a \"test\" (really) - 50% off, 1+1=2. Isn't it?",
        "First paragraph.\nStill the first.\n\nSecond one!\n",
        "Ünïcödé wörds, 中文 and Ελληνικά too."})
    void everydayCommentsTakeTheShortWayAndRenderTheSame(String text) {
        assertThat(PlainParagraphs.plain(text)).as("plain: %s", text).isTrue();
        assertSameAsParsed(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "*emphasis*", "some _under_ score", "code `x`", "[link](http://example.com)", "see http://example.com",
        "see WWW.example.com", "mail me@example.org", "a & b", "x < y", "1. a list", "- a list", "# heading",
        "> quote", "    indented code", "hard  \nbreak", "back\\slash", "tilde ~~x~~", "Emoji 😀 here",
        "2 starts with a digit", "ends in a space ", "tab\there", "Text\n---", "Text\n===", "Ｆｕｌｌｗｉｄｔｈ"})
    void textTheParserReadsTakesTheLongWay(String text) {
        assertThat(PlainParagraphs.plain(text)).as("plain: %s", text).isFalse();
        assertThat(Markdown.toHtml(text)).isEqualTo(Markdown.parsed(DisplayText.cleanBody(text)));
    }

    private static void assertSameAsParsed(String text) {
        String clean = DisplayText.cleanBody(text);
        assertThat(PlainParagraphs.toHtml(clean)).as("text: %s", text.replace("\n", "\\n"))
                .isEqualTo(Markdown.parsed(clean));
    }
}
