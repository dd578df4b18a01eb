package org.parley.data;

import org.jooq.Schema;
import org.jooq.impl.DSL;
import org.parley.db.shard.tables.Comment;

/**
 * The generated shard tables as they stand in ONE logical shard's schema ({@code s0003.comment}), for statements
 * that read several shards at once: a UNION ALL with a branch per shard schema ({@link AllShards}).
 *
 * <p>Why: a shard's context renders the template schema "shard" as its own schema through jOOQ's RenderMapping
 * ({@link Databases}); that mapping is one per statement, so it cannot tell the branches of a union apart. These
 * tables name their schema themselves instead — the generated class with only {@code getSchema()} replaced — so
 * queries keep the generated columns and types ({@code comment(3).as("c").SITE_ID}), and a schema that is not
 * "shard" is left as it is by the mapping. Anything that reads one shard uses the plain generated constants
 * ({@code COMMENT}) through {@link Databases#read}/{@link Databases#write}.
 */
public final class ShardTables {
    private ShardTables() {
    }

    /** {@code sNNNN.comment}. */
    public static Comment comment(int shard) {
        Schema schema = schema(shard);
        return new Comment() {
            @Override
            public Schema getSchema() {
                return schema;
            }
        };
    }

    /** {@code sNNNN.thread} (the generated class shadows java.lang.Thread, hence the full name). */
    public static org.parley.db.shard.tables.Thread thread(int shard) {
        Schema schema = schema(shard);
        return new org.parley.db.shard.tables.Thread() {
            @Override
            public Schema getSchema() {
                return schema;
            }
        };
    }

    /** {@code sNNNN.flag}. */
    public static org.parley.db.shard.tables.Flag flag(int shard) {
        Schema schema = schema(shard);
        return new org.parley.db.shard.tables.Flag() {
            @Override
            public Schema getSchema() {
                return schema;
            }
        };
    }

    /** {@code sNNNN.outbox}. */
    public static org.parley.db.shard.tables.Outbox outbox(int shard) {
        Schema schema = schema(shard);
        return new org.parley.db.shard.tables.Outbox() {
            @Override
            public Schema getSchema() {
                return schema;
            }
        };
    }

    private static Schema schema(int shard) {
        return DSL.schema(DSL.name(ShardRouter.schemaOf(shard)));
    }
}
