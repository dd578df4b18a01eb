package org.parley.site;

import java.time.Duration;

/** A site that embeds Parley threads, with the settings that govern commenting on it. */
public record Site(long id, String name, String displayName, boolean guestsAllowed, boolean premoderation,
                   Duration editWindow, int maxCommentLength, boolean closed, boolean gravatar) {
    /** The same site taking guests' comments: a post through one of its API keys is the site's own. */
    public Site takingGuests() {
        return new Site(id, name, displayName, true, premoderation, editWindow, maxCommentLength, closed, gravatar);
    }

    /** A site that shows its own identicons (Gravatar off, the default). */
    public Site(long id, String name, String displayName, boolean guestsAllowed, boolean premoderation,
                Duration editWindow, int maxCommentLength, boolean closed) {
        this(id, name, displayName, guestsAllowed, premoderation, editWindow, maxCommentLength, closed, false);
    }
}
