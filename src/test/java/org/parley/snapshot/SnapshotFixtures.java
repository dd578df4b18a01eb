package org.parley.snapshot;

import org.parley.data.Databases;
import org.parley.discussion.CommentThread;
import org.parley.testing.S3MockProcess;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import static org.parley.db.shard.Tables.THREAD;

/** What the snapshot tests share: a Parley publishing to S3Mock's bucket, and a thread made cold. */
final class SnapshotFixtures {
    static final String BUCKET = "parley-cdn";
    static final String PREFIX = "site/";

    private SnapshotFixtures() {
    }

    /** Settings for a Parley that publishes threads cold for 30 days to {@code s3}, which is also its CDN. */
    static Map<String, String> publishingTo(S3MockProcess s3) {
        Map<String, String> settings = new HashMap<>();
        settings.put("PARLEY_S3_BUCKET", BUCKET);
        settings.put("PARLEY_S3_PREFIX", PREFIX);
        settings.put("PARLEY_S3_ENDPOINT", s3.endpoint());
        settings.put("PARLEY_S3_ACCESS_KEY", "test-key");
        settings.put("PARLEY_S3_SECRET_KEY", "test-secret");
        settings.put("PARLEY_CDN_BASE_URL", s3.objectUrl(BUCKET, PREFIX));
        settings.put("PARLEY_SNAPSHOT_AFTER_DAYS", "30");
        return settings;
    }

    /** The thread's last activity (and creation) {@code days} ago: what waiting that long would have left. */
    static void goneColdDaysAgo(Databases databases, CommentThread thread, int days) {
        OffsetDateTime then = OffsetDateTime.now().minusDays(days);
        databases.write(thread.shard()).update(THREAD)
                .set(THREAD.LAST_ACTIVITY_AT, then).set(THREAD.CREATED_AT, then)
                .where(THREAD.ID.eq(thread.id())).execute();
    }
}
