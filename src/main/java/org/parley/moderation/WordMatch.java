package org.parley.moderation;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Runs a moderator's regular expression against a comment with a time limit. Java regexes backtrack, so a rule
 * like {@code (a+)+$} could pin a CPU on a crafted comment; the text is wrapped in a CharSequence that gives up
 * after {@link #LIMIT}, and a rule that times out counts as a match (the comment is held or refused, never let
 * through unchecked).
 */
final class WordMatch {
    static final Duration LIMIT = Duration.ofMillis(100);

    private WordMatch() {
    }

    static boolean find(Pattern pattern, String text) {
        try {
            return pattern.matcher(new Deadline(text, System.nanoTime() + LIMIT.toNanos())).find();
        } catch (TimedOut e) {
            return true; // too slow to decide: treat it as a match, so a moderator looks
        }
    }

    private static final class TimedOut extends RuntimeException {
        TimedOut() {
            super("word rule took longer than " + LIMIT.toMillis() + " ms", null, false, false);
        }
    }

    private record Deadline(CharSequence text, long deadline) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (System.nanoTime() > deadline) {
                throw new TimedOut();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.subSequence(start, end), deadline);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
