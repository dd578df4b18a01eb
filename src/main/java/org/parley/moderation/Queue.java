package org.parley.moderation;

import java.util.Locale;

/** The moderation queues: what a moderator works through, each a filter on the comment's state. */
public enum Queue {
    PENDING, FLAGGED, SPAM, DELETED, RECENT;

    public static Queue parse(String text) {
        if (text == null) {
            return PENDING;
        }
        for (Queue q : values()) {
            if (q.name().equalsIgnoreCase(text)) {
                return q;
            }
        }
        return PENDING;
    }

    public String urlValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
