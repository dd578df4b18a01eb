package org.parley.web;

import java.util.List;
import java.util.Map;

/**
 * The little JSON Parley writes by hand: objects of strings, numbers, booleans, null, and lists and maps of those
 * (error problems, health, a viewer's overlay of a thread page).
 */
public final class Json {
    private Json() {
    }

    public static String object(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(string(key)).append(':').append(value(value));
        });
        return out.append('}').toString();
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> fields.put(String.valueOf(k), v));
            return object(fields);
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) {
                out.append(out.length() > 1 ? "," : "").append(value(item));
            }
            return out.append(']').toString();
        }
        return string(String.valueOf(value));
    }

    public static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // '<' escaped too, so the JSON is safe even if a browser sniffs it as HTML
                case '<' -> out.append("\\u003c");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u%04x".formatted((int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
