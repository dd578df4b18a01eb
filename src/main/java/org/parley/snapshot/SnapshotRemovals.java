package org.parley.snapshot;

import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.parley.web.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Queues the removal of a thread's snapshot: one outbox row of kind {@value #KIND} on the thread's shard, in the
 * transaction of the write that bumped the thread (discussion.ThreadWrites), so the removal commits with the write
 * or not at all and outlives the instance that wrote it. Until it is delivered, readers of the CDN still get the
 * snapshot: the comment reaches them within the outbox's round trip plus the objects' max-age
 * ({@link SnapshotStore#CACHE_CONTROL}).
 */
public final class SnapshotRemovals {
    public static final String KIND = "snapshot-remove";

    private SnapshotRemovals() {
    }

    /**
     * Queues the removal, inside {@code shardTx}, of the snapshot a bumped thread has ({@code snapshotVersion}, the
     * thread row's; null = none, and then nothing is queued). Queued whatever this instance's settings say: a
     * thread has a snapshot only if some instance published one, and a tool that writes without the bucket
     * (import-disqus, shard reconcile) must not leave it standing; the rows wait for an instance that has the
     * bucket's courier.
     */
    public static void queue(DSLContext shardTx, long threadId, Long snapshotVersion, long siteId, String threadKey) {
        if (snapshotVersion == null) {
            return;
        }
        Map<String, Object> removal = new LinkedHashMap<>();
        removal.put("thread", threadId);
        removal.put("snapshot", snapshotVersion);
        removal.put("site", siteId);
        removal.put("key", threadKey);
        var outbox = org.parley.db.shard.Tables.OUTBOX;
        shardTx.insertInto(outbox)
                .set(outbox.KIND, KIND)
                .set(outbox.PAYLOAD, JSONB.valueOf(Json.object(removal)))
                .execute();
    }
}
