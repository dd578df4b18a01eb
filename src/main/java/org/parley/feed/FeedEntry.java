package org.parley.feed;

import java.time.OffsetDateTime;

/** One visible comment as a feed shows it, with its thread's key and title (for a site's feed). */
record FeedEntry(long id, String threadKey, String threadTitle, String authorName, String html,
                 OffsetDateTime createdAt) {
}
