package org.parley.moderation;

import org.junit.jupiter.api.Test;
import org.parley.testing.RandomText;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** How a post's text is read for the spam rules: its links, and the form a repeat is recognised by. */
class SpamSignalsTextTest {
    @Test
    void linksAreCountedAsAuthorsWriteThem() {
        assertThat(SpamSignals.links("see https://a.example, http://b.example and WWW.c.example")).isEqualTo(3);
        assertThat(SpamSignals.links("no link here, not even xwww.example or https:/x")).isZero();
    }

    @Test
    void aRepeatIsTheSameTextWhateverItsCaseAndSpacing() {
        assertThat(SpamSignals.hash("Buy  cheap\n\tWATCHES ")).isEqualTo(SpamSignals.hash("buy cheap watches"));
        assertThat(SpamSignals.hash("buy cheap watches")).isNotEqualTo(SpamSignals.hash("buy cheap watch"));
    }

    @Test
    void whitespaceRunsFoldAsTheRegularExpressionFoldedThem() {
        Pattern space = Pattern.compile("\\s+");
        String alphabet = "a \t\n\u000B\f\r\u001C\u00A0\u2003\u3000b";
        for (String s : RandomText.strings(alphabet, 10, 20_000)) {
            assertThat(SpamSignals.oneSpaced(s)).as("%s", s.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(space.matcher(s).replaceAll(" "));
        }
    }
}
