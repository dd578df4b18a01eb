package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.db.shard.Routines;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.data.RenderedOnce.slot;
import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.THREAD;

/** Statements through RenderedOnce read and write what the same jOOQ statements do, on real shards. */
class RenderedOnceIT {
    private static final int SHARDS = 4;
    private static Databases databases;

    /** A join with the types the hot statements read: bigint, text, smallint, boolean, timestamptz, nulls. */
    private static final RenderedOnce<Record> COMMENTS = RenderedOnce.query("it.comments",
            () -> DSL.select(COMMENT.ID, COMMENT.PARENT_ID, COMMENT.PATH, COMMENT.DEPTH, COMMENT.SHADOW,
                            COMMENT.CREATED_AT, COMMENT.HOLD_REASON, THREAD.LOCKED, THREAD.LAST_ACTIVITY_AT)
                    .from(COMMENT)
                    .join(THREAD).on(THREAD.ID.eq(COMMENT.THREAD_ID))
                    .where(COMMENT.THREAD_ID.eq(slot(COMMENT.THREAD_ID)))
                    .orderBy(COMMENT.PATH));

    /** A comment row as posting writes it: an inet cast, a nullable parent, created_at from the column default. */
    private static final RenderedOnce<Record> INSERT = RenderedOnce.statement("it.insert",
            () -> DSL.insertInto(COMMENT, COMMENT.ID, COMMENT.THREAD_ID, COMMENT.SITE_ID, COMMENT.PARENT_ID,
                            COMMENT.ROOT_ID, COMMENT.PATH, COMMENT.DEPTH, COMMENT.AUTHOR_NAME, COMMENT.AUTHOR_AVATAR,
                            COMMENT.BODY_SOURCE, COMMENT.BODY_HTML, COMMENT.STATE, COMMENT.IP, COMMENT.CREATED_AT)
                    .values(slot(COMMENT.ID), slot(COMMENT.THREAD_ID), slot(COMMENT.SITE_ID), slot(COMMENT.PARENT_ID),
                            slot(COMMENT.ROOT_ID), slot(COMMENT.PATH), slot(COMMENT.DEPTH), slot(COMMENT.AUTHOR_NAME),
                            slot(COMMENT.AUTHOR_AVATAR),
                            slot(COMMENT.BODY_SOURCE), slot(COMMENT.BODY_HTML), slot(COMMENT.STATE),
                            DSL.field("{0}::inet", COMMENT.IP.getDataType(), slot(String.class)),
                            DSL.defaultValue(COMMENT.CREATED_AT)));

    @BeforeAll
    static void migrate() {
        databases = MigrationsIT.open(TestConfig.load(TestConfig.settingsFor(TestPostgres.shared().newDatabase(), SHARDS)));
        Migrations.migrate(databases, shard -> { });
    }

    @AfterAll
    static void close() {
        databases.close();
    }

    @Test
    void aSelectReturnsTheRowsOfThePlainQueryOnEachShard() {
        for (int shard : new int[] {1, 3}) {
            DSLContext db = databases.write(shard);
            long thread = thread(db, "same-rows-" + shard);
            long root = insertPlain(db, thread, null, "root");
            insertPlain(db, thread, root, "reply");
            insertThroughRenderedOnce(db, thread, root, "another reply");

            var plain = db.select(COMMENT.ID, COMMENT.PARENT_ID, COMMENT.PATH, COMMENT.DEPTH, COMMENT.SHADOW,
                            COMMENT.CREATED_AT, COMMENT.HOLD_REASON, THREAD.LOCKED, THREAD.LAST_ACTIVITY_AT)
                    .from(COMMENT)
                    .join(THREAD).on(THREAD.ID.eq(COMMENT.THREAD_ID))
                    .where(COMMENT.THREAD_ID.eq(thread))
                    .orderBy(COMMENT.PATH)
                    .fetch();
            var once = COMMENTS.fetch(db, thread);

            assertThat(once).hasSize(3);
            assertThat(rows(once)).isEqualTo(rows(plain));
            assertThat(once.getFirst().get(COMMENT.CREATED_AT)).isEqualTo(plain.getFirst().get(COMMENT.CREATED_AT));
            assertThat(once.get(2).get(COMMENT.DEPTH)).isEqualTo((short) 1);
            // the shard's own schema: another shard does not see this thread
            assertThat(COMMENTS.fetch(databases.write(shard == 1 ? 3 : 1), thread)).isEmpty();
        }
    }

    @Test
    void aRowInsertedThroughRenderedOnceInATransactionReadsAsOneInsertedByJooq() {
        DSLContext db = databases.write(2);
        long thread = thread(db, "same-insert");
        long[] ids = db.transactionResult(tx -> new long[] {
            insertPlain(tx.dsl(), thread, null, "same"), insertThroughRenderedOnce(tx.dsl(), thread, null, "same")});

        var rows = db.select(COMMENT.THREAD_ID, COMMENT.SITE_ID, COMMENT.PARENT_ID, COMMENT.DEPTH, COMMENT.AUTHOR_NAME,
                        COMMENT.BODY_SOURCE, COMMENT.STATE, COMMENT.IP.cast(String.class))
                .from(COMMENT)
                .where(COMMENT.ID.in(ids[0], ids[1]))
                .fetch();

        assertThat(rows).hasSize(2);
        assertThat(Arrays.asList(rows.get(0).intoArray())).isEqualTo(Arrays.asList(rows.get(1).intoArray()));
        assertThat(rows.getFirst().get(7)).isEqualTo("192.0.2.7/32");
    }

    private static long thread(DSLContext db, String key) {
        return db.insertInto(THREAD, THREAD.SITE_ID, THREAD.KEY, THREAD.TITLE)
                .values(1L, key, "A thread")
                .returning(THREAD.ID)
                .fetchSingle(THREAD.ID);
    }

    private static long insertPlain(DSLContext db, long thread, Long parent, String text) {
        long id = db.select(Routines.nextId()).fetchSingle().value1();
        db.insertInto(COMMENT, COMMENT.ID, COMMENT.THREAD_ID, COMMENT.SITE_ID, COMMENT.PARENT_ID, COMMENT.ROOT_ID,
                        COMMENT.PATH, COMMENT.DEPTH, COMMENT.AUTHOR_NAME, COMMENT.AUTHOR_AVATAR, COMMENT.BODY_SOURCE,
                        COMMENT.BODY_HTML, COMMENT.STATE, COMMENT.IP, COMMENT.CREATED_AT)
                .values(DSL.val(id), DSL.val(thread), DSL.val(1L), DSL.val(parent, COMMENT.PARENT_ID),
                        DSL.val(parent == null ? id : parent), DSL.val(path(parent, id)),
                        DSL.val((short) (parent == null ? 0 : 1)), DSL.val("Ann"), DSL.val("0123456789abcdef"), DSL.val(text),
                        DSL.val("<p>" + text + "</p>"), DSL.val("approved"),
                        DSL.field("{0}::inet", COMMENT.IP.getDataType(), "192.0.2.7"),
                        DSL.defaultValue(COMMENT.CREATED_AT))
                .execute();
        return id;
    }

    private static long insertThroughRenderedOnce(DSLContext db, long thread, Long parent, String text) {
        long id = db.select(Routines.nextId()).fetchSingle().value1();
        int inserted = INSERT.execute(db, id, thread, 1L, parent, parent == null ? id : parent, path(parent, id),
                (short) (parent == null ? 0 : 1), "Ann", "0123456789abcdef", text, "<p>" + text + "</p>", "approved", "192.0.2.7");
        assertThat(inserted).isEqualTo(1);
        return id;
    }

    private static String path(Long parent, long id) {
        return (parent == null ? "" : "%016x".formatted(parent) + ".") + "%016x".formatted(id);
    }

    private static List<List<Object>> rows(org.jooq.Result<? extends Record> result) {
        return result.stream().map(r -> Arrays.asList(r.intoArray())).toList();
    }
}
