package org.parley.discussion;

import org.parley.data.Ids;

import java.time.OffsetDateTime;

/**
 * A discussion: one per page of a site, found by the host page's key. Its ID names its shard, and every
 * comment of the thread has a larger ID (comments are made after their thread), which lets comment queries
 * skip older partitions.
 */
/**
 * {@code closed}: no new comments or replies; {@code locked}: closed, and also no votes and no edits or deletes by
 * authors (moderators still moderate). See docs/moderation.md.
 */
public record CommentThread(long id, long siteId, String key, String url, String title, int commentCount,
                            OffsetDateTime lastActivityAt, boolean closed, boolean locked, long version) {

    public int shard() {
        return Ids.shardOf(id);
    }
}
