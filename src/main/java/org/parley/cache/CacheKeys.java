package org.parley.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Builds every cache key, so that no value from outside (a thread key, a site name) can break the Memcached
 * protocol or collide with another key. A key is {@code p1:kind:part:part…}:
 * <ul>
 * <li>{@code p1} is the namespace: changing it orphans every key at once (they age out), for a format change
 *     that touches everything;</li>
 * <li>{@code kind} is a constant from the code ({@code site}, {@code counter}) and must look like one;</li>
 * <li>each part is percent-escaped (UTF-8), keeping only {@code A-Z a-z 0-9 . _ ~ -}: no spaces, control
 *     characters or {@code :} can reach the key, and different part lists never join to the same key;</li>
 * <li>a key that would be longer than {@link #MAX_KEY_BYTES} becomes {@code p1:kind:#} + the SHA-256 (hex) of
 *     its escaped parts. {@code #} never appears in an escaped part, so a hashed key cannot equal a plain one.</li>
 * </ul>
 * Memcached allows 250 bytes; the margin leaves room for a client-side prefix.
 */
public final class CacheKeys {
    public static final String NAMESPACE = "p1";
    public static final int MAX_KEY_BYTES = 200;
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final String HASHED_MARK = "#";
    private static final HexFormat HEX = HexFormat.of();

    private CacheKeys() {
    }

    /** The key for kind and parts; each part is turned into text with {@code String.valueOf}. */
    public static String of(String kind, Object... parts) {
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("a cache key kind is a-z, 0-9 and '-' (at most 32), got '" + kind + "'");
        }
        StringBuilder escaped = new StringBuilder();
        for (Object part : parts) {
            escaped.append(':');
            escape(String.valueOf(part), escaped);
        }
        String prefix = NAMESPACE + ":" + kind;
        if (prefix.length() + escaped.length() <= MAX_KEY_BYTES) {
            return prefix + escaped; // escaped text is ASCII: its length is its byte count
        }
        return prefix + ":" + HASHED_MARK + sha256Hex(escaped.toString());
    }

    private static void escape(String part, StringBuilder out) {
        for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '~' || c == '-') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX.toHexDigits((byte) c));
            }
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
