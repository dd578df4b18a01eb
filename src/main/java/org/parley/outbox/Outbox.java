package org.parley.outbox;

import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.parley.data.RenderedOnce;

/**
 * Writes outbox rows inside the caller's transaction: the row commits with the event that causes it or not at
 * all. One INSERT per row; nothing is delivered from here (see {@link OutboxWorker}).
 */
public final class Outbox {
    private Outbox() {
    }

    /** Adds a row to main.outbox; {@code main} is the transaction of the account event. */
    public static void addToMain(DSLContext main, String kind, String payload) {
        add(main, OutboxTable.MAIN, kind, payload);
    }

    /** Adds a row to the outbox of the shard whose transaction {@code shard} is (a shard's write context). */
    public static void addToShard(DSLContext shard, String kind, String payload) {
        TO_SHARD.execute(shard, kind, JSONB.valueOf(payload));
    }

    /** The shard insert is on the comment POST path (notifications, webhook events): rendered once per shard. */
    private static final RenderedOnce<Record> TO_SHARD = RenderedOnce.statement("Outbox.addToShard",
            () -> DSL.insertInto(OutboxTable.SHARD.table())
                    .set(OutboxTable.SHARD.kind(), RenderedOnce.slot(OutboxTable.SHARD.kind()))
                    .set(OutboxTable.SHARD.payload(), RenderedOnce.slot(OutboxTable.SHARD.payload())));

    private static void add(DSLContext tx, OutboxTable t, String kind, String payload) {
        tx.insertInto(t.table())
                .set(t.kind(), kind)
                .set(t.payload(), JSONB.valueOf(payload))
                .execute();
    }
}
