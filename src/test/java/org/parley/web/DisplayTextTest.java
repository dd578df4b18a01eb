package org.parley.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.testing.RandomText;

import static org.assertj.core.api.Assertions.assertThat;

class DisplayTextTest {
    private static final String WOMAN_TECHNOLOGIST = "\uD83D\uDC69\u200D\uD83D\uDCBB";

    // --- single-line text: names and titles ------------------------------------------------------------------

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069",
            "200E", "200F", "061C", "200B", "200C", "200D", "2060", "FEFF"})
    void aNameCannotHideBidiOrZeroWidthCharacters(String hex) {
        assertThat(DisplayText.clean("ad" + character(hex) + "min")).isEqualTo("admin");
    }

    @Test
    void aRightToLeftOverrideCannotMakeANameReadBackwards() {
        assertThat(DisplayText.clean("\u202Enimda")).isEqualTo("nimda");
    }

    @Test
    void controlCharactersAreRemoved() {
        assertThat(DisplayText.clean("Ada\u0000\u0007\u001B[31m\u007F\u009F")).isEqualTo("Ada[31m");
    }

    @Test
    void whitespaceCollapsesToOneSpaceAndIsStripped() {
        assertThat(DisplayText.clean("  Ada \t\r\n Lovelace\u00A0\u3000\u2028\u0085 ")).isEqualTo("Ada Lovelace");
    }

    @Test
    void aRemovedCharacterBetweenSpacesLeavesOneSpace() {
        assertThat(DisplayText.clean("Ada \u200B Lovelace")).isEqualTo("Ada Lovelace");
    }

    @Test
    void textIsNfcNormalised() {
        assertThat(DisplayText.clean("Jose\u0301")).isEqualTo("Jos\u00E9");
    }

    @Test
    void normalisationHappensAfterRemovalSoAnAccentSplitByAZeroWidthSpaceStillComposes() {
        assertThat(DisplayText.clean("Jose\u200B\u0301")).isEqualTo("Jos\u00E9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ада Лавлейс", "محمد الخوارزمي", "李雷", "Zoë O'Brien", "Ω≈∞"})
    void ordinaryTextInAnyScriptIsUnchanged(String name) {
        assertThat(DisplayText.clean(name)).isEqualTo(name);
    }

    @Test
    void aLoneSurrogateIsRemoved() {
        assertThat(DisplayText.clean("Ada\uD800")).isEqualTo("Ada");
    }

    // --- comment bodies --------------------------------------------------------------------------------------

    @Test
    void lineEndingsBecomeNewlines() {
        assertThat(DisplayText.cleanBody("one\r\ntwo\rthree\nfour")).isEqualTo("one\ntwo\nthree\nfour");
    }

    @Test
    void newlinesTabsAndIndentationAreKept() {
        String source = "    indented code\n\n\tTabbed\n";
        assertThat(DisplayText.cleanBody(source)).isEqualTo(source);
    }

    @Test
    void nulAndOtherControlCharactersAreRemoved() {
        assertThat(DisplayText.cleanBody("a\u0000b\u0007c\u001Bd\u007Fe\u0085f")).isEqualTo("abcdef");
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069"})
    void bidiOverridesEmbeddingsAndIsolatesAreRemovedFromBodies(String hex) {
        assertThat(DisplayText.cleanBody("if (isAdmin" + character(hex) + ") {")).isEqualTo("if (isAdmin) {");
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"200E", "200F", "061C"})
    void bidiMarksStayInBodiesForRightToLeftWriters(String hex) {
        String source = "שלום" + character(hex) + " (1)";
        assertThat(DisplayText.cleanBody(source)).isEqualTo(source);
    }

    @Test
    void emojiKeepTheirZeroWidthJoiner() {
        assertThat(DisplayText.cleanBody("I am a " + WOMAN_TECHNOLOGIST)).isEqualTo("I am a " + WOMAN_TECHNOLOGIST);
    }

    @Test
    void persianKeepsItsZeroWidthNonJoiner() {
        String source = "می\u200Cخواهم";
        assertThat(DisplayText.cleanBody(source)).isEqualTo(source);
    }

    @Test
    void zeroWidthSpacesAndByteOrderMarksAreRemovedFromBodies() {
        assertThat(DisplayText.cleanBody("\uFEFFspam\u200Bword")).isEqualTo("spamword");
    }

    @Test
    void bodiesAreNfcNormalised() {
        assertThat(DisplayText.cleanBody("cafe\u0301")).isEqualTo("caf\u00E9");
    }

    // --- the shortcuts for text with nothing to change ---------------------------------------------------------

    /**
     * Random strings over the characters the rules are about and their neighbours: the shortcuts must answer as
     * the regular expressions do, whichever way a string goes.
     */
    @Test
    void theShortcutsAnswerAsTheFullCleaningDoes() {
        String alphabet = "aZ0 ~!<&\t\n\r\u0000\u001F\u007F\u0085\u009F\u00A0\u00E9\u0301\u061C\u200A\u200B\u200C"
                + "\u200D\u200E\u200F\u2028\u2029\u202A\u202E\u202F\u2060\u2066\u2069\u206A\u3000\uFEFF\uFFFDשש"
                + "\uD83D\uDC69\uD800";
        for (String s : RandomText.strings(alphabet, 12, 20_000)) {
            var codePoints = s.codePoints().mapToObj(Integer::toHexString).toList();
            assertThat(DisplayText.cleanBody(s)).as("cleanBody of %s", codePoints).isEqualTo(DisplayText.cleanBodyFully(s));
            assertThat(DisplayText.clean(s)).as("clean of %s", codePoints).isEqualTo(DisplayText.cleanFully(s));
        }
    }

    /** The edges of the plain-line shortcut, which random text over a wide alphabet seldom reaches. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Ada  Lovelace|Ada Lovelace", "'Ada '|Ada",
            "' Ada'|Ada", "a\u007Fb|ab", "a\u001Fb|ab", "'a ~'|a ~"})
    void plainLookingNamesAtTheShortcutsEdgesAreStillCleaned(String name, String cleaned) {
        assertThat(DisplayText.clean(name)).isEqualTo(cleaned).isEqualTo(DisplayText.cleanFully(name));
    }

    @Test
    void theShortcutsAnswerAsTheFullCleaningDoesForTextThatLooksPlain() {
        for (String s : RandomText.strings("a ~\u007F\u001F\r\n", 8, 20_000)) {
            assertThat(DisplayText.clean(s)).as("clean of %s", s.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(DisplayText.cleanFully(s));
            assertThat(DisplayText.cleanBody(s)).as("cleanBody of %s", s.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(DisplayText.cleanBodyFully(s));
        }
    }

    @Test
    void aBodyWithWindowsLineBreaksAndAnEmojiKeepsBoth() {
        assertThat(DisplayText.cleanBody("Hello\r\nworld \uD83D\uDE00")).isEqualTo("Hello\nworld \uD83D\uDE00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ada Lovelace", "Reader 1-2-3", "x", "This is a benchmark comment.\nSecond line\twith a tab."})
    void plainTextIsReturnedAsItIs(String text) {
        if (!text.contains("\n")) {
            assertThat(DisplayText.clean(text)).isSameAs(text);
        }
        assertThat(DisplayText.cleanBody(text)).isEqualTo(text);
    }

    private static String character(String hex) {
        return Character.toString(Integer.parseInt(hex, 16));
    }
}
