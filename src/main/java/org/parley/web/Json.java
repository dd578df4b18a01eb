package org.parley.web;

import java.util.Map;

/** The little JSON Parley writes by hand: flat objects of strings and numbers (error problems, health). */
final class Json {
    private Json() {
    }

    static String object(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(string(key)).append(':');
            out.append(value instanceof Number || value instanceof Boolean ? value.toString() : string(String.valueOf(value)));
        });
        return out.append('}').toString();
    }

    static String string(String s) {
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
