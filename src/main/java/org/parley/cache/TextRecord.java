package org.parley.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * The text form of a cached record: each field as {@code length:text}, one after another. Any character may
 * appear in a field (a display name can hold anything), nothing is escaped, and a damaged or foreign value is
 * detected rather than misread. Java serialization is not used: it would tie cached bytes to class versions and
 * turn a poisoned cache into code execution.
 *
 * <p>A record's format version goes in its cache key (see {@link ObjectCache}), not in the value, so instances
 * of two Parley versions side by side never read each other's records.
 */
public final class TextRecord {
    private TextRecord() {
    }

    /** The fields, each turned into text with {@code String.valueOf}; a list becomes a nested record. */
    public static String of(Object... fields) {
        StringBuilder out = new StringBuilder();
        for (Object field : fields) {
            String text = field instanceof List<?> list ? of(list.toArray()) : String.valueOf(field);
            out.append(text.length()).append(':').append(text);
        }
        return out.toString();
    }

    /**
     * The fields of a record made by {@link #of}.
     *
     * @throws IllegalArgumentException when text is not such a record, or has another number of fields
     */
    public static List<String> parse(String text, int expectedFields) {
        List<String> fields = parse(text);
        if (fields.size() != expectedFields) {
            throw new IllegalArgumentException("expected " + expectedFields + " fields, found " + fields.size());
        }
        return fields;
    }

    /** The fields of a record of any length (a nested list). */
    public static List<String> parse(String text) {
        List<String> fields = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int colon = text.indexOf(':', at);
            if (colon <= at) {
                throw new IllegalArgumentException("no field length at " + at);
            }
            int length;
            try {
                length = Integer.parseInt(text, at, colon, 10);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad field length at " + at, e);
            }
            int end = colon + 1 + length;
            if (length < 0 || end > text.length()) {
                throw new IllegalArgumentException("field at " + at + " runs past the end");
            }
            fields.add(text.substring(colon + 1, end));
            at = end;
        }
        return fields;
    }

    /** A boolean field as {@link #of} writes it. */
    public static boolean bool(String field) {
        return switch (field) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not a boolean: '" + field + "'");
        };
    }
}
