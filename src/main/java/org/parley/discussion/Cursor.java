package org.parley.discussion;

import org.parley.web.HttpError;

/**
 * Where the next page of top-level comments starts (keyset pagination): the last comment shown, and for
 * "best" its score too. Written in URLs as {@code 123} or {@code 7_123}.
 */
public record Cursor(int score, long id) {

    public static Cursor parse(String text, Sort sort) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            if (sort == Sort.BEST) {
                int split = text.lastIndexOf('_');
                return new Cursor(Integer.parseInt(text.substring(0, split)), Long.parseLong(text.substring(split + 1)));
            }
            return new Cursor(0, Long.parseLong(text));
        } catch (RuntimeException e) {
            throw HttpError.wordedField(400, "after", "thread.error.after");
        }
    }

    public String format(Sort sort) {
        return sort == Sort.BEST ? score + "_" + id : Long.toString(id);
    }
}
