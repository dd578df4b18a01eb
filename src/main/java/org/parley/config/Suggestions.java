package org.parley.config;

import java.util.Arrays;
import java.util.Comparator;

/** "did you mean PARLEY_PORT?" for a mistyped setting name. */
public final class Suggestions {
    private static final int MAX_EDITS = 3;

    private Suggestions() {
    }

    public static String didYouMean(String key) {
        return Arrays.stream(Setting.values())
                .map(Setting::key)
                .min(Comparator.comparingInt(candidate -> distance(key, candidate)))
                .filter(best -> distance(key, best) <= MAX_EDITS)
                .map(best -> "; did you mean " + best + "?")
                .orElse("");
    }

    /** Levenshtein distance, two rows at a time. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
