package org.parley.site;

import java.time.Duration;

/** A site that embeds Parley threads, with the settings that govern commenting on it. */
public record Site(long id, String name, String displayName, boolean guestsAllowed, boolean premoderation,
                   Duration editWindow, int maxCommentLength, boolean closed) {
}
