package org.parley.edge;

import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.parley.web.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Queues a purge of a thread's pages at the edge: one row of kind {@value #KIND} in the shard's outbox, in the
 * transaction of the write that bumped the thread's version (discussion.ThreadWrites), so the purge commits with
 * the change or not at all and outlives the instance that wrote it. A thread has at most one purge waiting to be
 * claimed: a popular thread's writes within one outbox poll cost one purge, not one each. With no edge configured, nothing is queued:
 * no courier would ever deliver the row.
 */
public final class EdgePurges {
    public static final String KIND = "edge-purge";
    /** The outbox's state of a row not yet delivered (outbox.OutboxTable.QUEUED, which is package-private). */
    private static final String QUEUED = "queued";
    /** Queues nothing: no edge, or a tool that writes without one. */
    public static final EdgePurges NONE = new EdgePurges(false, () -> {
    });

    private final boolean enabled;
    private final Runnable afterCommit;

    private EdgePurges(boolean enabled, Runnable afterCommit) {
        this.enabled = enabled;
        this.afterCommit = afterCommit;
    }

    /**
     * @param afterCommit told after a write that queued a purge has committed: the outbox worker's nudge, so the
     *                    purge goes out now, not at the next poll (a second by default), and a comment reaches the
     *                    edge's readers within the purge's round trip
     */
    public static EdgePurges of(EdgeSettings edge, Runnable afterCommit) {
        return edge.configured() ? new EdgePurges(true, afterCommit) : NONE;
    }

    /** After the commit of a write that {@link #queue queued} purges. */
    public void committed() {
        if (enabled) {
            afterCommit.run();
        }
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
        var outbox = org.parley.db.shard.Tables.OUTBOX;
        // one waiting purge per thread (shard V20): a later write moves it to its version instead of adding one,
        // and its row lock keeps the worker from sending the purge before this write commits
        shardTx.insertInto(outbox)
                .set(outbox.KIND, KIND)
                .set(outbox.PAYLOAD, JSONB.valueOf(Json.object(purge)))
                .onConflict(DSL.field("({0} ->> 'thread')", String.class, outbox.PAYLOAD))
                .where(outbox.KIND.eq(KIND).and(outbox.STATE.eq(QUEUED)).and(outbox.ATTEMPTS.eq(0)))
                .doUpdate()
                .set(outbox.PAYLOAD, DSL.excluded(outbox.PAYLOAD))
                .execute();
    }
}
