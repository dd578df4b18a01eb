package org.parley.outbox;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.parley.data.AllShards;
import org.parley.data.Databases;
import org.parley.data.ShardRouter;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outbox as people see it in the console: the newest rows of one kind from main and every shard (one
 * statement per cluster, plus main), one row, and "resend" for a dead or held one.
 */
public final class OutboxLedger {
    /** Where a row lives: "main", or a shard's schema ("s0003"). */
    public record Entry(String where, long id, String kind, String payload, String state, int attempts,
                        OffsetDateTime createdAt, OffsetDateTime dueAt, OffsetDateTime doneAt, String lastError) {
        public boolean resendable() {
            return state.equals(OutboxTable.DEAD) || state.equals(OutboxTable.HELD);
        }
    }

    private final Databases databases;
    private final AllShards allShards;

    public OutboxLedger(Databases databases) {
        this.databases = databases;
        this.allShards = new AllShards(databases);
    }

    /** The newest {@code limit} rows of {@code kind}, newest first. */
    public List<Entry> recent(String kind, int limit) {
        List<Entry> all = new ArrayList<>(select(databases.main(), OutboxTable.MAIN, "main", kind, limit));
        allShards.each(AllShards.Source.PRIMARY, cluster -> {
            var union = cluster.unionAll(shard -> {
                OutboxTable t = OutboxTable.shard(shard);
                return DSL.select(DSL.inline(ShardRouter.schemaOf(shard)).as("where"), t.id(), t.kind(), t.payload(),
                                t.state(), t.attempts(), t.createdAt(), t.dueAt(), t.doneAt(), t.lastError())
                        .from(t.table())
                        .where(t.kind().eq(kind))
                        .orderBy(t.createdAt().desc(), t.id().desc())
                        .limit(limit);
            }).asTable("q");
            return cluster.dsl().selectFrom(union)
                    .orderBy(union.field(OutboxTable.MAIN.createdAt().getName()).desc())
                    .limit(limit)
                    .fetch(r -> entry(r, r.get(0, String.class)));
        }).forEach(all::addAll);
        all.sort(Comparator.comparing(Entry::createdAt).reversed());
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    public Optional<Entry> one(String where, long id) {
        return context(where).flatMap(db -> {
            OutboxTable t = where.equals("main") ? OutboxTable.MAIN : OutboxTable.SHARD;
            return db.select(t.id(), t.kind(), t.payload(), t.state(), t.attempts(), t.createdAt(), t.dueAt(),
                            t.doneAt(), t.lastError())
                    .from(t.table()).where(t.id().eq(id))
                    .fetchOptional(r -> entry(r, where));
        });
    }

    /**
     * Queues a dead or held row again, due now and with its tries counted afresh.
     *
     * @return false when there is no such row, or it is not dead or held (a queued row is on its way already)
     */
    public boolean resend(String where, long id) {
        return context(where).map(db -> {
            OutboxTable t = where.equals("main") ? OutboxTable.MAIN : OutboxTable.SHARD;
            return db.update(t.table())
                    .set(t.state(), OutboxTable.QUEUED)
                    .set(t.attempts(), 0)
                    .set(t.dueAt(), DSL.currentOffsetDateTime())
                    .set(t.doneAt(), (OffsetDateTime) null)
                    .where(t.id().eq(id)).and(t.state().in(OutboxTable.DEAD, OutboxTable.HELD))
                    .execute() == 1;
        }).orElse(false);
    }

    private Optional<DSLContext> context(String where) {
        if (where.equals("main")) {
            return Optional.of(databases.main());
        }
        return ShardRouter.shardOfSchema(where)
                .filter(shard -> shard < databases.shardMap().shardCount())
                .map(databases::write);
    }

    private static List<Entry> select(DSLContext db, OutboxTable t, String where, String kind, int limit) {
        return db.select(t.id(), t.kind(), t.payload(), t.state(), t.attempts(), t.createdAt(), t.dueAt(), t.doneAt(),
                        t.lastError())
                .from(t.table())
                .where(t.kind().eq(kind))
                .orderBy(t.createdAt().desc(), t.id().desc())
                .limit(limit)
                .fetch(r -> entry(r, where));
    }

    private static Entry entry(Record r, String where) {
        OutboxTable t = OutboxTable.MAIN; // the same column names in every outbox
        return new Entry(where, r.get(t.id().getName(), Long.class), r.get(t.kind().getName(), String.class),
                r.get(t.payload().getName(), org.jooq.JSONB.class).data(), r.get(t.state().getName(), String.class),
                r.get(t.attempts().getName(), Integer.class),
                r.get(t.createdAt().getName(), OffsetDateTime.class), r.get(t.dueAt().getName(), OffsetDateTime.class),
                r.get(t.doneAt().getName(), OffsetDateTime.class), r.get(t.lastError().getName(), String.class));
    }
}
