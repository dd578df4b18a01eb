package org.parley.edge;

import org.jooq.DSLContext;
import org.parley.outbox.Outbox;
import org.parley.web.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Queues a purge of a thread's pages at the edge: one row of kind {@value #KIND} in the shard's outbox, in the
 * transaction of the write that bumped the thread's version (discussion.ThreadWrites), so the purge commits with
 * the change or not at all and outlives the instance that wrote it. With no edge configured, nothing is queued:
 * no courier would ever deliver the row.
 */
public final class EdgePurges {
    public static final String KIND = "edge-purge";
    /** Queues nothing: no edge, or a tool that writes without one. */
    public static final EdgePurges NONE = new EdgePurges(false);

    private final boolean enabled;

    private EdgePurges(boolean enabled) {
        this.enabled = enabled;
    }

    public static EdgePurges of(EdgeSettings edge) {
        return edge.configured() ? new EdgePurges(true) : NONE;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Queues one purge for the thread, inside {@code shardTx}. The row names the thread's new version (see
     * {@link PurgeCourier}), and its site and key, so a courier that needs the thread's addresses (CloudFront) does
     * not have to read the thread again.
     */
    public void queue(DSLContext shardTx, long threadId, long version, long siteId, String threadKey) {
        if (!enabled) {
            return;
        }
        Map<String, Object> purge = new LinkedHashMap<>();
        purge.put("thread", threadId);
        purge.put("version", version);
        purge.put("site", siteId);
        purge.put("key", threadKey);
        Outbox.addToShard(shardTx, KIND, Json.object(purge));
    }
}
