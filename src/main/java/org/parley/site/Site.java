package org.parley.site;

import java.time.Duration;

/**
 * A site that embeds Parley threads, with the settings that govern commenting on it. {@code language} is its
 * default language ("fr"), for readers whose browsers ask for none Parley has; null: English.
 */
public record Site(long id, String name, String displayName, boolean guestsAllowed, boolean premoderation,
                   Duration editWindow, int maxCommentLength, boolean closed, boolean gravatar, String language) {
    /** The same site taking guests' comments: a post through one of its API keys is the site's own. */
    public Site takingGuests() {
        return new Site(id, name, displayName, true, premoderation, editWindow, maxCommentLength, closed, gravatar,
                language);
    }

    /** A site in English by default. */
    public Site(long id, String name, String displayName, boolean guestsAllowed, boolean premoderation,
                Duration editWindow, int maxCommentLength, boolean closed, boolean gravatar) {
        this(id, name, displayName, guestsAllowed, premoderation, editWindow, maxCommentLength, closed, gravatar, null);
    }

    /** A site that shows its own identicons (Gravatar off, the default). */
    public Site(long id, String name, String displayName, boolean guestsAllowed, boolean premoderation,
                Duration editWindow, int maxCommentLength, boolean closed) {
        this(id, name, displayName, guestsAllowed, premoderation, editWindow, maxCommentLength, closed, false, null);
    }
}
