package org.parley.outbox;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.data.Databases;
import org.parley.testing.TestServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's promises on a real PostgreSQL with eight shards: rows written in main and in shards are delivered
 * once each however many workers claim at the same moment; a failure is retried after a backoff and ends dead
 * after the last try; a dead row sent again goes out; a row whose claimer died is delivered once its lease ends.
 *
 * <p>The rows here are of kind "webhook" with couriers made by the test; the server's own worker delivers only
 * mail, so it leaves them alone (a worker claims only the kinds it has couriers for).
 */
class OutboxIT {
    private static final String KIND = "webhook";

    /** The server's own outbox worker kept idle (its first poll a minute away): it delivers webhooks too, and would race
     *  the workers under test for these rows. */
    @RegisterExtension
    static final TestServer server = TestServer.perClass(java.util.Map.of("PARLEY_OUTBOX_POLL_MS", "60000"));

    private Databases databases;

    @BeforeEach
    void empty() {
        databases = server.parley().databases();
        databases.main().execute("DELETE FROM main.outbox");
        for (int shard = 0; shard < databases.shardMap().shardCount(); shard++) {
            databases.write(shard).execute("DELETE FROM " + org.parley.data.ShardRouter.schemaOf(shard) + ".outbox");
        }
    }

    @Test
    void rowsInMainAndEveryShardAreDeliveredOnceByFourWorkersClaimingAtOnce() throws Exception {
        int shards = databases.shardMap().shardCount();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            String payload = "{\"n\":" + i + "}";
            written.add("{\"n\": " + i + "}"); // as jsonb gives it back
            if (i % 3 == 0) {
                Outbox.addToMain(databases.main(), KIND, payload);
            } else {
                Outbox.addToShard(databases.write(i % shards), KIND, payload);
            }
        }
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Courier counting = courier(payload -> {
            deliveries.computeIfAbsent(payload, p -> new AtomicInteger()).incrementAndGet();
            return Courier.Delivered.SENT;
        });

        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> handled = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                OutboxWorker worker = worker(counting, Backoff.DEFAULT, OutboxWorker.LEASE);
                handled.add(pool.submit(() -> {
                    int total = 0;
                    for (int round = 0; round < 3; round++) {
                        total += worker.runOnce();
                    }
                    return total;
                }));
            }
            int total = 0;
            for (Future<Integer> f : handled) {
                total += f.get();
            }
            assertThat(total).as("rows handled by all workers together").isEqualTo(240);
        }

        assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(count("sent")).isEqualTo(240);
        assertThat(count("queued")).isZero();
    }

    @Test
    void aFailingDeliveryIsRetriedAfterABackoffThenDeadAndCanBeSentAgain() throws Exception {
        Outbox.addToShard(databases.write(3), KIND, "{\"hook\":\"down\"}");
        AtomicInteger tries = new AtomicInteger();
        boolean[] receiverUp = {false};
        Courier flaky = courier(payload -> {
            tries.incrementAndGet();
            if (!receiverUp[0]) {
                throw DeliveryFailure.temporary("connection refused", null);
            }
            return Courier.Delivered.SENT;
        });
        // an hour's backoff, so "not due yet" holds however slow the machine; time passes by moving due_at
        Backoff hourly = new Backoff(Duration.ofHours(1), Duration.ofHours(1), 3);
        OutboxWorker worker = worker(flaky, hourly, OutboxWorker.LEASE);

        assertThat(worker.runOnce()).isEqualTo(1);
        var row = databases.write(3).fetchOne("SELECT state, attempts, last_error, due_at > now() AS later FROM s0003.outbox");
        assertThat(row.get("state")).isEqualTo("queued");
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat(row.get("last_error")).isEqualTo("connection refused");
        assertThat(row.get("later")).isEqualTo(true);
        assertThat(worker.runOnce()).as("not due again before its backoff").isZero();

        for (int attempt = 2; attempt <= 3; attempt++) {
            backoffPassed("s0003");
            assertThat(worker.runOnce()).isEqualTo(1);
        }
        assertThat(tries.get()).isEqualTo(3);
        assertThat(count("dead")).isEqualTo(1);
        backoffPassed("s0003");
        assertThat(worker.runOnce()).as("a dead row is not tried again by itself").isZero();

        var ledger = new OutboxLedger(databases);
        long id = databases.write(3).fetchOne("SELECT id FROM s0003.outbox").get(0, Long.class);
        assertThat(ledger.one("s0003", id).orElseThrow().resendable()).isTrue();
        assertThat(ledger.resend("s0003", id)).isTrue();
        assertThat(ledger.resend("s0003", id)).as("queued already").isFalse();
        receiverUp[0] = true;
        assertThat(worker.runOnce()).isEqualTo(1);
        var sent = ledger.one("s0003", id).orElseThrow();
        assertThat(sent.state()).isEqualTo("sent");
        assertThat(sent.attempts()).isEqualTo(1);
        assertThat(sent.lastError()).isNull();
    }

    @Test
    void aPermanentRefusalIsDeadAtOnce() {
        Outbox.addToMain(databases.main(), KIND, "{\"hook\":\"gone\"}");
        OutboxWorker worker = worker(courier(payload -> {
            throw DeliveryFailure.permanent("410 Gone", null);
        }), Backoff.DEFAULT, OutboxWorker.LEASE);
        worker.runOnce();
        var row = databases.main().fetchOne("SELECT state, attempts, last_error FROM main.outbox");
        assertThat(row.get("state")).isEqualTo("dead");
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat(row.get("last_error")).isEqualTo("410 Gone");
    }

    @Test
    void aRowWhoseClaimerDiedIsDeliveredWhenTheLeaseRunsOut() throws Exception {
        Outbox.addToMain(databases.main(), KIND, "{\"hook\":\"orphan\"}");
        ConcurrentLinkedQueue<String> delivered = new ConcurrentLinkedQueue<>();
        // the first claimer takes the row and never comes back (its courier hangs until the test ends)
        var hung = new java.util.concurrent.CountDownLatch(1);
        OutboxWorker dying = worker(courier(payload -> {
            try {
                hung.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw DeliveryFailure.temporary("instance killed", null);
        }), Backoff.DEFAULT, Duration.ofHours(1));
        Thread claimer = Thread.ofVirtual().start(dying::runOnce);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> databases.main().fetchOne("SELECT attempts FROM main.outbox").get(0, Integer.class) == 1);

        OutboxWorker survivor = worker(courier(payload -> {
            delivered.add(payload);
            return Courier.Delivered.SENT;
        }), Backoff.DEFAULT, Duration.ofHours(1));
        assertThat(survivor.runOnce()).as("claimed by the other instance").isZero();
        backoffPassed("main"); // the hour's lease runs out
        assertThat(survivor.runOnce()).isEqualTo(1);
        assertThat(delivered).containsExactly("{\"hook\": \"orphan\"}");

        hung.countDown(); // the first claimer's late failure must not undo the delivery
        claimer.join();
        var row = databases.main().fetchOne("SELECT state, attempts FROM main.outbox");
        assertThat(row.get("state")).isEqualTo("sent");
        assertThat(row.get("attempts")).isEqualTo(2);
    }

    private int count(String state) {
        int n = databases.main().fetchCount(databases.main().selectFrom("main.outbox").where("state = ?", state));
        for (int shard = 0; shard < databases.shardMap().shardCount(); shard++) {
            String schema = org.parley.data.ShardRouter.schemaOf(shard);
            n += databases.write(shard).fetchCount(databases.write(shard).selectFrom(schema + ".outbox")
                    .where("state = ?", state));
        }
        return n;
    }

    /** Time passes for one schema's outbox: its rows fall due now (the worker compares due_at with now()). */
    private void backoffPassed(String schema) {
        var database = org.parley.data.ShardRouter.shardOfSchema(schema).map(databases::write)
                .orElseGet(databases::main);
        database.execute("UPDATE " + schema + ".outbox SET due_at = now() - interval '1 second'");
    }

    private OutboxWorker worker(Courier courier, Backoff backoff, Duration lease) {
        return new OutboxWorker(databases, List.of(courier), backoff, Duration.ofSeconds(1), lease,
                new MetricRegistry());
    }

    @FunctionalInterface
    private interface Delivery {
        Courier.Delivered deliver(String payload) throws DeliveryFailure;
    }

    private static Courier courier(Delivery delivery) {
        return new Courier() {
            @Override
            public String kind() {
                return KIND;
            }

            @Override
            public Delivered deliver(String payload) throws DeliveryFailure {
                return delivery.deliver(payload);
            }
        };
    }
}
