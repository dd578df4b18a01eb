package org.parley.edge;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.testing.FreePort;
import org.parley.testing.TestServer;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a write leaves in the shard's outbox for the edge: one purge per thread waiting to be claimed, moved to the
 * newest version by the writes that come meanwhile; a new one once it is claimed. The writes' transactions queue
 * through {@link EdgePurges} directly, as {@code ThreadWrites} does, but without its nudge: through the write path
 * the worker would claim each purge at once, and whether a second write finds the first still waiting would be a
 * race (a busy thread's writes do find it: the nudged looks are at least {@code OutboxWorker.NUDGE_GAP} apart).
 */
class EdgePurgesIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(
            "PARLEY_EDGE", "varnish",
            "PARLEY_EDGE_URL", "http://127.0.0.1:" + FreePort.find(),
            "PARLEY_OUTBOX_POLL_MS", "60000"));

    /** Versions far above any the thread's own writes reach here, so only this test's rows are read. */
    private static final long VERSION = 1_000;

    @Test
    void writesWhileAPurgeWaitsShareItAndAClaimedOneIsNotReused() {
        var thread = server.thread("edge-coalesced");
        long threadId = thread.id();
        var purges = EdgePurges.of(server.parley().config().edge(), () -> { });
        for (long v = VERSION + 1; v <= VERSION + 3; v++) {
            long version = v;
            shard(threadId).transaction(tx -> purges.queue(tx.dsl(), threadId, version, thread.siteId(), thread.key()));
        }
        assertThat(purges(threadId)).as("one waiting purge, at the last write's version")
                .containsExactly("queued 0 v" + (VERSION + 3));

        shard(threadId).execute("UPDATE " + outbox(threadId) + " SET attempts = 1 WHERE kind = 'edge-purge'");
        shard(threadId).transaction(tx -> purges.queue(tx.dsl(), threadId, VERSION + 4, thread.siteId(), thread.key()));
        assertThat(purges(threadId)).as("the claimed one may be on its way already: a new one for the newer write")
                .containsExactlyInAnyOrder("queued 1 v" + (VERSION + 3), "queued 0 v" + (VERSION + 4));
    }

    /** A repair moves the thread's version like any write: the edge must hear of it too, from a command as well. */
    @Test
    void aCounterRepairQueuesAPurgeOfTheRepairedThread() {
        var thread = server.thread("edge-repaired");
        long threadId = thread.id();
        shard(threadId).execute("UPDATE " + ShardRouter.schemaOf(Ids.shardOf(threadId))
                + ".thread SET comment_count = 7 WHERE id = ?", threadId);
        var repair = new org.parley.discussion.CounterReconciliation(server.parley().databases(), 100, false,
                (t, v) -> { }, EdgePurges.of(server.parley().config().edge(), () -> { }));

        var result = repair.run(Ids.shardOf(threadId));

        assertThat(result.fixes()).anySatisfy(fix -> assertThat(fix.id()).isEqualTo(threadId));
        assertThat(shard(threadId).fetchCount(shard(threadId).selectFrom(outbox(threadId)
                + " WHERE kind = 'edge-purge' AND (payload ->> 'thread')::bigint = " + threadId))).isEqualTo(1);
    }

    private static List<String> purges(long threadId) {
        return shard(threadId).fetch("SELECT state || ' ' || attempts || ' v' || (payload ->> 'version') FROM "
                + outbox(threadId) + " WHERE kind = 'edge-purge' AND (payload ->> 'thread')::bigint = ?"
                + " AND (payload ->> 'version')::bigint > " + VERSION, threadId)
                .getValues(0, String.class);
    }

    private static DSLContext shard(long threadId) {
        return server.parley().databases().write(Ids.shardOf(threadId));
    }

    private static String outbox(long threadId) {
        return ShardRouter.schemaOf(Ids.shardOf(threadId)) + ".outbox";
    }
}
