package org.parley.data;

import java.sql.SQLException;
import java.time.Duration;

/**
 * The write fence of a shard move. At the switch-over the mover installs a trigger on every table of the shard's
 * schema on the <em>source</em> cluster that refuses any write with SQLSTATE {@value #SQLSTATE}. From then on the
 * source is read-only for good: a writer anywhere — also an instance that has not yet heard of the new shard map —
 * is refused instead of writing into a copy nobody reads any more. {@link ShardContext} catches the refusal,
 * re-reads the shard map and runs the transaction again on the new cluster, so an acknowledged write is never
 * lost and a refused one is never half-applied (the refusal rolls its transaction back).
 */
public final class ShardFence {
    /** Our own SQLSTATE (class "PX" is not used by PostgreSQL). */
    public static final String SQLSTATE = "PXM01";
    /** How long a writer keeps retrying a fenced shard before giving up with "try again". */
    public static final Duration WAIT = Duration.ofSeconds(20);
    /** The trigger's name on each fenced table, and its function's name in the schema. */
    static final String TRIGGER = "parley_shard_fence";

    private ShardFence() {
    }

    /** Whether something thrown (at any depth) is the fence refusing a write. */
    public static boolean isFence(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && SQLSTATE.equals(sql.getSQLState())) {
                return true;
            }
            if (t instanceof FencedException) {
                return true;
            }
        }
        return false;
    }

    /** A write that found its shard fenced for longer than {@link #WAIT}: the user should simply try again. */
    public static final class FencedException extends RuntimeException {
        public FencedException(int shard, Throwable cause) {
            super("Logical shard " + ShardRouter.schemaOf(shard) + " is being moved to another server and did not"
                    + " accept writes within " + WAIT.toSeconds() + " s", cause);
        }
    }

    /** The SQL that fences one schema's table (run by the mover on the source, inside its locking transaction). */
    static String functionSql(String schema) {
        return "CREATE OR REPLACE FUNCTION " + schema + "." + TRIGGER + "() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN RAISE EXCEPTION USING ERRCODE = '" + SQLSTATE + "', MESSAGE = 'logical shard " + schema
                + " has moved to another cluster (or is moving): this copy is read-only';"
                + " END $$";
    }

    static String triggerSql(String schema, String table) {
        return "CREATE TRIGGER " + TRIGGER + " BEFORE INSERT OR UPDATE OR DELETE ON " + schema + "." + table
                + " FOR EACH ROW EXECUTE FUNCTION " + schema + "." + TRIGGER + "()";
    }
}
