package org.parley.edge;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.data.Ids;
import org.parley.data.ShardRouter;
import org.parley.testing.FreePort;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the write path leaves in the shard's outbox for the edge: one purge per thread waiting to be claimed, moved
 * to the newest version by the writes that come meanwhile; a new one once it is claimed. The worker polls once a
 * minute here, so nothing is claimed unless the test says so.
 */
class EdgePurgesIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(
            "PARLEY_EDGE", "varnish",
            "PARLEY_EDGE_URL", "http://127.0.0.1:" + FreePort.find(),
            "PARLEY_OUTBOX_POLL_MS", "60000"));

    @Test
    void writesWhileAPurgeWaitsShareItAndAClaimedOneIsNotReused() {
        String key = "edge-coalesced";
        String path = TestServer.standalonePath(key);
        long threadId = server.thread(key).id();
        WebClient guest = server.client();
        guest.get(path);
        for (int i = 1; i <= 3; i++) {
            assertThat(guest.post(path, Map.of("name", "Gus", "body", "Comment " + i)).statusCode()).isEqualTo(302);
        }
        long version = server.thread(key).version();
        assertThat(purges(threadId)).as("one waiting purge, at the last write's version")
                .containsExactly("queued 0 v" + version);

        shard(threadId).execute("UPDATE " + outbox(threadId) + " SET attempts = 1 WHERE kind = 'edge-purge'");
        assertThat(guest.post(path, Map.of("name", "Gus", "body", "Comment 4")).statusCode()).isEqualTo(302);
        assertThat(purges(threadId)).as("the claimed one may be on its way already: a new one for the newer write")
                .containsExactlyInAnyOrder("queued 1 v" + version, "queued 0 v" + server.thread(key).version());
    }

    private static List<String> purges(long threadId) {
        return shard(threadId).fetch("SELECT state || ' ' || attempts || ' v' || (payload ->> 'version') FROM "
                + outbox(threadId) + " WHERE kind = 'edge-purge' AND (payload ->> 'thread')::bigint = ?", threadId)
                .getValues(0, String.class);
    }

    private static DSLContext shard(long threadId) {
        return server.parley().databases().write(Ids.shardOf(threadId));
    }

    private static String outbox(long threadId) {
        return ShardRouter.schemaOf(Ids.shardOf(threadId)) + ".outbox";
    }
}
