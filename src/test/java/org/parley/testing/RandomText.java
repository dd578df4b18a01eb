package org.parley.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Short random strings over a small alphabet, for checking a shortcut against the long way it replaces: the
 * alphabet holds the characters the rule is about and their neighbours, so every branch is taken many times.
 * Seeded, so a failure repeats.
 */
public final class RandomText {
    private RandomText() {
    }

    /** {@code count} strings of 0 to {@code maxLength - 1} chars (UTF-16 units, so lone surrogates too). */
    public static List<String> strings(String alphabet, int maxLength, int count) {
        Random random = new Random(18);
        List<String> strings = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            var text = new StringBuilder();
            int length = random.nextInt(maxLength);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            strings.add(text.toString());
        }
        return strings;
    }
}
