package org.parley.discussion;

import java.util.Locale;

/** How top-level comments are ordered; replies always read oldest first under their parent. */
public enum Sort {
    OLDEST, NEWEST, BEST;

    /** Oldest first: a conversation reads top-down, and its pages stay stable while people vote. */
    public static final Sort DEFAULT = OLDEST;

    /** The sort named in a URL; anything unknown falls back to the default rather than failing a page view. */
    public static Sort parse(String text) {
        if (text == null) {
            return DEFAULT;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "newest" -> NEWEST;
            case "best" -> BEST;
            default -> OLDEST;
        };
    }

    public String urlValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
