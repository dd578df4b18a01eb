package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.tools.jdbc.MockConnection;
import org.jooq.tools.jdbc.MockResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.data.RenderedOnce.slot;
import static org.parley.db.shard.Tables.THREAD;

class SplitSqlTest {
    private final List<String> sent = new ArrayList<>();
    private final DSLContext dsl = DSL.using(new DefaultConfiguration()
            .set(SQLDialect.POSTGRES)
            .set(new MockConnection(ctx -> {
                sent.add(ctx.sql() + " " + Arrays.toString(ctx.bindings()));
                return new MockResult[] {new MockResult(1, null)};
            })));

    /** A statement with a ? in a string literal and in a comment, and a placeholder inside a cast. */
    private final String sql = dsl.render(DSL.update(THREAD)
            .set(THREAD.TITLE, slot(THREAD.TITLE))
            .where(THREAD.KEY.ne(DSL.inline("why? -- not a comment")))
            .and(DSL.condition("/* is it ? */ {0}::inet IS NOT NULL", slot(String.class)))
            .and(THREAD.ID.eq(slot(THREAD.ID))));

    @Test
    void theStatementIsCutWhereJooqBindsItsValuesAndNowhereElse() {
        String[] pieces = SplitSql.cut(dsl, sql, 3);

        assertThat(pieces).hasSize(4);
        assertThat(String.join("?", pieces)).isEqualTo(sql);
        assertThat(pieces[1]).contains("'why? -- not a comment'", "/* is it ? */");
        assertThat(pieces[2]).startsWith("::inet");
    }

    @Test
    void runningThePiecesSendsWhatThePlainTemplateSends() {
        Param<?>[] values = {DSL.val("A title", THREAD.TITLE), DSL.val("10.0.0.1"), DSL.val(42L, THREAD.ID)};

        dsl.query(sql, (Object[]) values).execute();
        dsl.query("{0}", SplitSql.of(SplitSql.cut(dsl, sql, 3), values)).execute();

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).isEqualTo(sent.get(0)).contains("[A title, 10.0.0.1, 42]");
    }

    @Test
    void aStatementWhosePlaceholdersCannotBeToldIsNotCut() {
        assertThat(SplitSql.cut(dsl, "select ? from t", 2)).as("two values, one placeholder").isNull();
        assertThat(SplitSql.cut(dsl, "select 1 from t", 0)).containsExactly("select 1 from t");
    }
}
