package org.parley.data;

import org.jooq.Context;
import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.RenderContext;
import org.jooq.conf.ParamType;
import org.jooq.impl.CustomQueryPart;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.List;

/**
 * A rendered statement cut at its bind placeholders, run with each call's values without jOOQ reading its text
 * again. {@link RenderedOnce} used to pass the SQL to {@code dsl.resultQuery(sql, binds)}: jOOQ then walks a plain
 * SQL template character by character on every call (comments, quotes, {@code ?}, {@code :name}, {@code {n}}),
 * appending each character on its own. For the 1–3 KB statements of a comment post that walk was about 6 % of the
 * post's CPU (JFR, issue 18). Here the walk is done once ({@link #cut}); a call appends the pieces whole and visits
 * its values in between, the way jOOQ's walk does (a value's cast left out, as for a {@code ?} in plain SQL).
 * Visiting a value while rendering with indexed placeholders is what records it as a bind, so execute listeners,
 * statement counts and logging see the same statement and values as before.
 */
final class SplitSql extends CustomQueryPart {
    private final String[] pieces;
    private final Param<?>[] values;

    private SplitSql(String[] pieces, Param<?>[] values) {
        this.pieces = pieces;
        this.values = values;
    }

    /** {@code pieces} from {@link #cut}; one value per gap between two pieces. */
    static SplitSql of(String[] pieces, Param<?>[] values) {
        if (values.length != pieces.length - 1) {
            throw new IllegalArgumentException(values.length + " values for " + (pieces.length - 1) + " placeholders");
        }
        return new SplitSql(pieces, values);
    }

    /**
     * {@code sql} cut where jOOQ's own template reading binds its {@code binds} values, or null when that cannot
     * be told for sure (the statement then runs as a plain SQL template, as before). jOOQ finds the places itself:
     * the template is rendered once with a distinct literal for each value, and the text between those literals is
     * taken. The pieces must join with {@code ?} back to exactly {@code sql}.
     */
    static String[] cut(DSLContext dsl, String sql, int binds) {
        if (binds == 0) {
            return new String[] {sql};
        }
        String tag = "parley_split_" + Long.toHexString(System.nanoTime()) + "_";
        Object[] markers = new Object[binds];
        for (int i = 0; i < binds; i++) {
            markers[i] = DSL.inline(tag + i + "_");
        }
        String marked = dsl.renderInlined(dsl.resultQuery(sql, markers));
        List<String> pieces = new ArrayList<>(binds + 1);
        int from = 0;
        for (int i = 0; i < binds; i++) {
            String marker = "'" + tag + i + "_'";
            int at = marked.indexOf(marker, from);
            if (at < 0) {
                return null;
            }
            pieces.add(marked.substring(from, at));
            from = at + marker.length();
        }
        pieces.add(marked.substring(from));
        return String.join("?", pieces).equals(sql) ? pieces.toArray(String[]::new) : null;
    }

    @Override
    public void accept(Context<?> ctx) {
        // as jOOQ's plain SQL reading does: a ? stays a bare ? (no cast around it) when rendered as a placeholder
        boolean bare = ctx instanceof RenderContext
                && ctx.paramType() != ParamType.INLINED && ctx.paramType() != ParamType.NAMED
                && ctx.paramType() != ParamType.NAMED_OR_INLINED;
        for (int i = 0; i < values.length; i++) {
            ctx.sql(pieces[i], true);
            if (bare) {
                var previous = ctx.castMode();
                ctx.castMode(RenderContext.CastMode.NEVER).visit(values[i]).castMode(previous);
            } else {
                ctx.visit(values[i]);
            }
        }
        ctx.sql(pieces[values.length], true);
    }
}
