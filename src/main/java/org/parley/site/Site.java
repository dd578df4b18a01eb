package org.parley.site;

import java.time.Duration;

/** A site that embeds Parley threads, with the settings that govern commenting on it. */
public record Site(long id, String name, String displayName, boolean guestsAllowed, boolean premoderation,
                   Duration editWindow, int maxCommentLength, boolean closed, boolean gravatar) {
    /** A site that shows its own identicons (Gravatar off, the default). */
    public Site(long id, String name, String displayName, boolean guestsAllowed, boolean premoderation,
                Duration editWindow, int maxCommentLength, boolean closed) {
        this(id, name, displayName, guestsAllowed, premoderation, editWindow, maxCommentLength, closed, false);
    }
}
