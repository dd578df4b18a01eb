package org.parley.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Markup written straight into UTF-8 bytes, a piece at a time, like a {@link StringBuilder} that encodes as it goes:
 * the writer's own markup, which is ASCII, copied as it is ({@link #ascii}); text that may hold anything (a name,
 * a word of the page's language) encoded ({@link #append(String)}); bytes that are UTF-8 already (a comment's
 * body as PostgreSQL sent it) copied ({@link #append(byte[])}).
 *
 * <p>Why not a StringBuilder encoded at the end (or a comment at a time, as this class did before): one character
 * outside Latin-1, and every page has them (the vote arrows ▲ ▼), turns a builder into two bytes a character, and
 * the markup then went through an inflating copy, a String copy, a failed compression back to Latin-1 and the
 * JDK's character-at-a-time UTF-16 encoder: about a fifth of a cache-off page's CPU in a JFR profile
 * (docs/caching.md, "Bytes all the way").
 */
public final class Utf8Bytes {
    private byte[] bytes;
    private int size;

    /** @param expected the usual size in bytes, to start with; more is made room for as it comes */
    public Utf8Bytes(int expected) {
        bytes = new byte[Math.max(64, expected)];
    }

    /** Appends the text, UTF-8 encoded. */
    public Utf8Bytes append(String text) {
        return append(text.getBytes(StandardCharsets.UTF_8)); // for ASCII text a vectorised check and one copy
    }

    /**
     * Appends markup the caller wrote, which is ASCII (checked when assertions are on, as in the tests): copied
     * straight into the buffer. Why not {@link #append(String)}: a page is some 8 000 pieces of markup, and a
     * {@code getBytes} each was a third of its garbage; copying them a {@code charAt} at a time cost more CPU than
     * that (JFR). The deprecated {@link String#getBytes(int, int, byte[], int)} keeps each character's low byte,
     * which for ASCII is its UTF-8, and is one array copy for such a String.
     */
    @SuppressWarnings("deprecation")
    public Utf8Bytes ascii(String markup) {
        assert markup.chars().allMatch(c -> c < 0x80) : "not ASCII: " + markup;
        int length = markup.length();
        room(length);
        markup.getBytes(0, length, bytes, size);
        size += length;
        return this;
    }

    /** Appends the number in decimal. */
    public Utf8Bytes append(long number) {
        if (number < 0) {
            return append(Long.toString(number));
        }
        int digits = 1;
        for (long rest = number / 10; rest > 0; rest /= 10) {
            digits++;
        }
        room(digits);
        for (int i = size + digits - 1; i >= size; i--, number /= 10) {
            bytes[i] = (byte) ('0' + number % 10);
        }
        size += digits;
        return this;
    }

    /** Appends {@code true} or {@code false}. */
    public Utf8Bytes append(boolean value) {
        return append(value ? TRUE : FALSE);
    }

    /** Appends bytes that are UTF-8 already. */
    public Utf8Bytes append(byte[] utf8) {
        room(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length + bytes.length / 2));
        }
    }

    /** The bytes appended so far. */
    public int size() {
        return size;
    }

    /** What was appended, in order. */
    public byte[] toArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
}
