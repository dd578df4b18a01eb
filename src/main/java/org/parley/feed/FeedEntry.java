package org.parley.feed;

import java.time.OffsetDateTime;

/** One visible comment as a feed shows it, with its thread's key, title and page (for a site's feed). */
record FeedEntry(long id, String threadKey, String threadTitle, String threadUrl, String authorName, String html,
                 OffsetDateTime createdAt) {
}
