package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteType;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.tools.jdbc.MockConnection;
import org.jooq.tools.jdbc.MockResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.data.RenderedOnce.slot;
import static org.parley.db.shard.Tables.COMMENT;
import static org.parley.db.shard.Tables.OUTBOX;
import static org.parley.db.shard.Tables.THREAD;

class RenderedOnceTest {
    private static final RenderedOnce<Record2<Long, String>> BY_KEY = RenderedOnce.query("test.byKey",
            () -> DSL.select(THREAD.ID, THREAD.KEY)
                    .from(THREAD)
                    .where(THREAD.SITE_ID.eq(slot(THREAD.SITE_ID)))
                    .and(THREAD.KEY.eq(slot(THREAD.KEY)))
                    .limit(DSL.inline(1)));

    /** What the mock database saw: each statement's SQL, binds and execute type. */
    private final List<String> sent = new ArrayList<>();

    @BeforeEach
    void forget() {
        RenderedOnce.forgetAll();
    }

    private DSLContext shard(String schema) {
        Settings settings = new Settings().withExecuteLogging(false).withRenderMapping(new RenderMapping()
                .withSchemata(new MappedSchema().withInput(Databases.SHARD_TEMPLATE_SCHEMA).withOutput(schema)));
        MockConnection connection = new MockConnection(ctx -> {
            sent.add(ctx.sql() + " " + java.util.Arrays.toString(ctx.bindings()));
            var r = DSL.using(SQLDialect.POSTGRES).newResult(THREAD.ID, THREAD.KEY);
            r.add(DSL.using(SQLDialect.POSTGRES).newRecord(THREAD.ID, THREAD.KEY).values(7L, "k"));
            return new MockResult[] {ctx.sql().startsWith("select") ? new MockResult(1, r) : new MockResult(1, null)};
        });
        return DSL.using(new DefaultConfiguration()
                .set(connection)
                .set(SQLDialect.POSTGRES)
                .set(settings)
                .set(new ExecuteListener() {
                    @Override
                    public void executeEnd(ExecuteContext ctx) {
                        sent.add("type " + ctx.type());
                    }
                }));
    }

    @Test
    void theSameShapeOnTheSameSchemaIsRenderedOnceAndSendsWhatJooqWouldHaveSent() {
        DSLContext s3 = shard("s0003");
        var plain = s3.select(THREAD.ID, THREAD.KEY).from(THREAD).where(THREAD.SITE_ID.eq(5L)).and(THREAD.KEY.eq("a"))
                .limit(DSL.inline(1)).fetchOptional();
        long before = RenderedOnce.renders();

        var first = BY_KEY.fetchOptional(s3, 5L, "a");
        var again = BY_KEY.fetchOptional(shard("s0003"), 6L, "b"); // another context, equal settings

        assertThat(RenderedOnce.renders() - before).isEqualTo(1);
        assertThat(sent.get(2)).isEqualTo(sent.get(0)); // same SQL and binds as the plain query
        assertThat(sent.get(3)).isEqualTo(sent.get(1));
        assertThat(sent.get(4)).isEqualTo(sent.get(0).replace("[5, a]", "[6, b]"));
        assertThat(sent.get(0)).contains("\"s0003\".\"thread\"").contains("fetch next 1 rows only");
        // records read through the shape's own fields, as the plain query's
        assertThat(first.orElseThrow().get(THREAD.ID)).isEqualTo(plain.orElseThrow().get(THREAD.ID)).isEqualTo(7L);
        assertThat(again.orElseThrow().value2()).isEqualTo("k");
    }

    @Test
    void anotherSchemaIsRenderedSeparately() {
        long before = RenderedOnce.renders();

        String s1 = BY_KEY.sql(shard("s0001"));
        String s2 = BY_KEY.sql(shard("s0002"));
        BY_KEY.sql(shard("s0001"));

        assertThat(RenderedOnce.renders() - before).isEqualTo(2);
        assertThat(s1).contains("\"s0001\".\"thread\"").doesNotContain("s0002");
        assertThat(s2).contains("\"s0002\".\"thread\"").doesNotContain("s0001");
    }

    @Test
    void aTransactionsCopyOfTheSettingsFindsTheSameRendering() {
        DSLContext s4 = shard("s0004");
        BY_KEY.sql(s4);
        long before = RenderedOnce.renders();

        s4.transaction(tx -> {
            assertThat(tx.dsl().settings()).isNotSameAs(s4.settings());
            BY_KEY.fetchOptional(tx.dsl(), 1L, "x");
            BY_KEY.fetchOptional(tx.dsl(), 2L, "y");
        });

        assertThat(RenderedOnce.renders() - before).isZero();
    }

    @Test
    void statementsBindTypedValuesNullsIncludedAndStayWrites() {
        var insert = RenderedOnce.statement("test.insert", () -> DSL.insertInto(COMMENT, COMMENT.ID, COMMENT.PARENT_ID,
                        COMMENT.DEPTH, COMMENT.IP, COMMENT.CREATED_AT)
                .values(slot(COMMENT.ID), slot(COMMENT.PARENT_ID), slot(COMMENT.DEPTH),
                        DSL.field("{0}::inet", COMMENT.IP.getDataType(), slot(String.class)), slot(COMMENT.CREATED_AT)));
        var outbox = RenderedOnce.statement("test.outbox", () -> DSL.insertInto(OUTBOX)
                .set(OUTBOX.KIND, slot(OUTBOX.KIND))
                .set(OUTBOX.PAYLOAD, slot(OUTBOX.PAYLOAD)));
        DSLContext s7 = shard("s0007");
        OffsetDateTime at = OffsetDateTime.parse("2026-01-02T03:04:05Z");

        s7.insertInto(COMMENT, COMMENT.ID, COMMENT.PARENT_ID, COMMENT.DEPTH, COMMENT.IP, COMMENT.CREATED_AT)
                .values(DSL.val(1L), DSL.val(null, COMMENT.PARENT_ID), DSL.val((short) 2),
                        DSL.field("{0}::inet", COMMENT.IP.getDataType(), "192.0.2.1"), DSL.val(at))
                .execute();
        insert.execute(s7, 1L, null, (short) 2, "192.0.2.1", at);
        s7.insertInto(OUTBOX).set(OUTBOX.KIND, "event").set(OUTBOX.PAYLOAD, JSONB.valueOf("{\"a\":1}")).execute();
        outbox.execute(s7, "event", JSONB.valueOf("{\"a\":1}"));

        assertThat(sent.get(2)).isEqualTo(sent.get(0)).contains("?::inet");
        assertThat(sent.get(3)).isEqualTo(sent.get(1)).isEqualTo("type " + ExecuteType.WRITE);
        assertThat(sent.get(6)).isEqualTo(sent.get(4)).contains("cast(? as jsonb)");
        assertThat(sent.get(7)).isEqualTo(sent.get(5));
    }

    @Test
    void theWrongNumberOfValuesIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> BY_KEY.fetchOptional(shard("s0001"), 5L))
                .hasMessage("test.byKey takes 2 values, got 1");
        assertThat(sent).isEmpty();
    }

    /**
     * A value used in several places, a constant bind of the shape's own (after an inlined value, so its bind
     * position is not its place among all the values), an inlined value and an OFFSET.
     */
    private static final RenderedOnce<Record> NAMED = RenderedOnce.query("test.named", () -> DSL.select(THREAD.ID)
            .from(THREAD)
            .where(THREAD.VERSION.ge(DSL.inline(0L)))
            .and(THREAD.SITE_ID.eq(slot("site", THREAD.SITE_ID)))
            .and(THREAD.KEY.eq("constant"))
            .and(THREAD.ID.ge(slot("site", THREAD.SITE_ID)).or(THREAD.KEY.eq(slot("key", THREAD.KEY))))
            .and(THREAD.COMMENT_COUNT.gt(DSL.inline(0)))
            .offset(slot("skip", Integer.class))
            .limit(DSL.inline(1)));

    @Test
    void namedPlaceholdersAreBoundWhereverTheyAppearBesideTheShapesOwnConstants() {
        DSLContext s2 = shard("s0002");
        s2.select(THREAD.ID).from(THREAD)
                .where(THREAD.VERSION.ge(DSL.inline(0L)))
                .and(THREAD.SITE_ID.eq(5L))
                .and(THREAD.KEY.eq("constant"))
                .and(THREAD.ID.ge(5L).or(THREAD.KEY.eq("a")))
                .and(THREAD.COMMENT_COUNT.gt(DSL.inline(0)))
                .offset(3)
                .limit(DSL.inline(1))
                .fetch();

        NAMED.fetch(s2, java.util.Map.of("skip", 3, "key", "a", "site", 5L));

        assertThat(sent.get(2)).isEqualTo(sent.get(0)).endsWith("[5, constant, 5, a, 3]");
        assertThat(sent.get(3)).isEqualTo(sent.get(1));
    }

    @Test
    void aNamedShapeNeedsExactlyItsNamesBeforeAnythingIsSent() {
        DSLContext s1 = shard("s0001");

        assertThatThrownBy(() -> NAMED.fetch(s1, java.util.Map.of("site", 5L, "key", "a")))
                .hasMessage("test.named needs a value for skip");
        assertThatThrownBy(() -> NAMED.fetch(s1, java.util.Map.of("site", 5L, "key", "a", "skip", 1, "sight", 5L)))
                .hasMessageStartingWith("test.named takes 3 named values, got");
        assertThatThrownBy(() -> NAMED.fetch(s1, 5L, "a", 1))
                .hasMessage("test.named has named placeholders: pass its values by name");
        assertThatThrownBy(() -> BY_KEY.fetch(s1, java.util.Map.of("site", 5L)))
                .hasMessage("test.byKey has unnamed placeholders: pass its values in order");
        assertThat(sent).isEmpty();
    }

    @Test
    void manyShapesAndSchemasStayWithinTheBound() {
        List<RenderedOnce<Record>> shapes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            shapes.add(RenderedOnce.statement("test.many" + n, () -> DSL.deleteFrom(THREAD)
                    .where(THREAD.ID.eq(DSL.inline((long) n)))));
        }
        for (int schema = 0; schema < 120; schema++) {
            DSLContext dsl = shard("s" + (1000 + schema));
            shapes.forEach(shape -> shape.sql(dsl));
        }

        assertThat(RenderedOnce.size()).isLessThanOrEqualTo(RenderedOnce.MAX_ENTRIES);
        // and what was dropped is rendered again, correctly, when it is used
        assertThat(shapes.getFirst().sql(shard("s1000"))).contains("\"s1000\".\"thread\"");
    }
}
