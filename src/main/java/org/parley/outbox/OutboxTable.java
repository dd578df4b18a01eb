package org.parley.outbox;

import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Table;
import org.parley.data.ShardTables;

import java.time.OffsetDateTime;

/**
 * main.outbox or a shard's outbox: the same columns in two generated classes, so the enqueue, claim and console
 * code is written once.
 */
record OutboxTable(Table<?> table, Field<Long> id, Field<String> kind, Field<JSONB> payload, Field<String> state,
                   Field<Integer> attempts, Field<OffsetDateTime> dueAt, Field<OffsetDateTime> createdAt,
                   Field<OffsetDateTime> doneAt, Field<String> lastError) {

    static final String QUEUED = "queued";
    static final String SENT = "sent";
    static final String HELD = "held";
    static final String DEAD = "dead";

    /** main.outbox. */
    static final OutboxTable MAIN = of(org.parley.db.main.Tables.OUTBOX);

    /** The shard outbox as a shard's own context renders it (the template schema mapped to sNNNN). */
    static final OutboxTable SHARD = of(org.parley.db.shard.Tables.OUTBOX);

    /** {@code sNNNN.outbox} named explicitly, for statements over several shards at once. */
    static OutboxTable shard(int shard) {
        return of(ShardTables.outbox(shard));
    }

    private static OutboxTable of(org.parley.db.main.tables.Outbox t) {
        return new OutboxTable(t, t.ID, t.KIND, t.PAYLOAD, t.STATE, t.ATTEMPTS, t.DUE_AT, t.CREATED_AT, t.DONE_AT,
                t.LAST_ERROR);
    }

    private static OutboxTable of(org.parley.db.shard.tables.Outbox t) {
        return new OutboxTable(t, t.ID, t.KIND, t.PAYLOAD, t.STATE, t.ATTEMPTS, t.DUE_AT, t.CREATED_AT, t.DONE_AT,
                t.LAST_ERROR);
    }
}
