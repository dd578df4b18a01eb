package org.parley.data;

import java.util.regex.Pattern;

/**
 * A PostgreSQL WAL position ({@code pg_lsn}): a 64-bit byte offset into the write-ahead log, written by PostgreSQL
 * as two hexadecimal halves, {@code 16/B374D848}. Positions only grow, so "has this replica replayed my write"
 * is a comparison.
 */
public record Lsn(long value) implements Comparable<Lsn> {
    private static final Pattern TEXT = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,16}");

    /** Parses PostgreSQL's text form; null for null (a server that has replayed nothing yet). */
    public static Lsn parse(String text) {
        if (text == null) {
            return null;
        }
        if (!TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("not a WAL position: '" + text + "'");
        }
        int slash = text.indexOf('/');
        long high = Long.parseLong(text.substring(0, slash), 16);
        long low = Long.parseLong(text.substring(slash + 1), 16);
        return new Lsn(high << 32 | low);
    }

    /** The compact form used in cookies: the 64-bit value in lowercase hex. */
    public String hex() {
        return Long.toHexString(value);
    }

    /** Reads {@link #hex()}; empty input or anything else is refused. */
    public static Lsn fromHex(String hex) {
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a WAL position: '" + hex + "'");
        }
        return new Lsn(Long.parseUnsignedLong(hex, 16));
    }

    public boolean atLeast(Lsn other) {
        return compareTo(other) >= 0;
    }

    /** Bytes of WAL from {@code earlier} to this position (0 when earlier is not earlier). */
    public long bytesAfter(Lsn earlier) {
        return Long.compareUnsigned(value, earlier.value) > 0 ? value - earlier.value : 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    /** PostgreSQL's own notation, so logs can be pasted into SQL ({@code '16/B374D848'::pg_lsn}). */
    @Override
    public String toString() {
        return String.format("%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }
}
