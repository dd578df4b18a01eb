package org.parley.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Markup built as UTF-8 a piece at a time: a writer fills a small {@link StringBuilder} with one piece (a comment),
 * hands it over with {@link #take}, and reuses it. For a long page this replaces one StringBuilder of the whole
 * text, whose UTF-16 form (any non-Latin-1 character makes all of it two bytes a character), String copy and
 * encoding buffer (three bytes a character) were each hundreds of kilobytes per render.
 */
public final class Utf8Bytes {
    private byte[] bytes;
    private int size;

    /** @param expected the usual size in bytes, to start with; more is made room for as it comes */
    public Utf8Bytes(int expected) {
        bytes = new byte[Math.max(64, expected)];
    }

    /** Appends the builder's text, encoded, and empties the builder for the next piece. */
    public void take(StringBuilder piece) {
        byte[] encoded = piece.toString().getBytes(StandardCharsets.UTF_8);
        piece.setLength(0);
        if (size + encoded.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + encoded.length, bytes.length + bytes.length / 2));
        }
        System.arraycopy(encoded, 0, bytes, size, encoded.length);
        size += encoded.length;
    }

    /** What was taken, in order. */
    public byte[] toArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
}
