package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.jooq.impl.DSL.name;

/**
 * Comments are range-partitioned by ID, and an ID is a time: a monthly partition whose whole range is older than
 * {@code PARLEY_HISTORICAL_AFTER_MONTHS} whole months is <em>historical</em>. Visitors may read its comments but
 * no longer change, vote on or reply to them ({@link #isHistorical}), so the partition stops taking writes: its
 * pages stay in PostgreSQL's cache only while read, autovacuum leaves it alone, and it can live on cheaper disks
 * ({@code PARLEY_HISTORICAL_TABLESPACE}, applied by {@link #moveToTablespace}).
 *
 * The boundary is always a month start, which is also a partition boundary, so "historical" is a property of
 * whole partitions, and a check costs no SQL: comparing the comment's ID with {@link #cutoffId}.
 */
public final class HistoricalPartitions {
    private static final Logger log = LoggerFactory.getLogger(HistoricalPartitions.class);
    private static final Pattern UPPER_BOUND = Pattern.compile("TO \\('?(-?\\d+)'?\\)");

    private final int afterMonths;
    private final Optional<String> tablespace;
    private final Clock clock;

    /**
     * @param afterMonths whole months after which a partition is historical; 0 = never
     * @param tablespace  where historical partitions (and their indexes) are moved; empty = they stay
     */
    public HistoricalPartitions(int afterMonths, Optional<String> tablespace, Clock clock) {
        this.afterMonths = afterMonths;
        this.tablespace = tablespace;
        this.clock = clock;
    }

    /** Nothing is ever historical: for tools and tests that don't care. */
    public static HistoricalPartitions never(Clock clock) {
        return new HistoricalPartitions(0, Optional.empty(), clock);
    }

    /** Comments with a smaller ID are historical; {@code Long.MIN_VALUE} when nothing ever is. */
    public long cutoffId() {
        return cutoff().map(Ids::lowestAt).orElse(Long.MIN_VALUE);
    }

    /** The start of the oldest month that is still active, e.g. 2025-11-01 on any day of November 2026 with 12. */
    public Optional<Instant> cutoff() {
        if (afterMonths == 0) {
            return Optional.empty();
        }
        YearMonth active = YearMonth.now(clock.withZone(ZoneOffset.UTC)).minusMonths(afterMonths);
        return Optional.of(active.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    public boolean isHistorical(long commentId) {
        return commentId < cutoffId();
    }

    public int afterMonths() {
        return afterMonths;
    }

    /**
     * Moves every historical partition of this shard, with its indexes, to the historical tablespace. ALTER TABLE
     * … SET TABLESPACE rewrites the partition under an exclusive lock (reads of it wait), so it runs one partition
     * at a time, only for partitions not yet there, and only in the instance that wins the shard's advisory lock.
     *
     * @return partitions moved
     */
    public int moveToTablespace(DSLContext shard, String schema) {
        if (tablespace.isEmpty() || afterMonths == 0) {
            return 0;
        }
        String target = tablespace.get();
        long cutoff = cutoffId();
        return shard.transactionResult(tx -> {
            DSLContext db = tx.dsl();
            boolean mine = (Boolean) db.fetchValue("SELECT pg_try_advisory_xact_lock(hashtext(?))",
                    schema + ".historical_tablespace");
            if (!mine) {
                return 0; // another instance is moving this shard's partitions right now
            }
            int moved = 0;
            for (Record partition : db.fetch("""
                    SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound,
                           coalesce(t.spcname, 'pg_default') AS tablespace
                    FROM pg_inherits i
                    JOIN pg_class c ON c.oid = i.inhrelid
                    LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace
                    WHERE i.inhparent = to_regclass(?)
                    ORDER BY c.relname""", schema + ".comment")) {
                String table = partition.get("relname", String.class);
                if (!upperBound(partition.get("bound", String.class)).map(upper -> upper <= cutoff).orElse(false)
                        || target.equals(partition.get("tablespace", String.class))) {
                    continue;
                }
                db.execute("ALTER TABLE {0} SET TABLESPACE {1}", name(schema, table), name(target));
                for (String index : db.fetchValues(
                        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = to_regclass(?)",
                        schema + "." + table).stream().map(Object::toString).toList()) {
                    db.execute("ALTER INDEX " + index + " SET TABLESPACE {0}", name(target));
                }
                log.info("Moved historical partition {}.{} to tablespace {}", schema, table, target);
                moved++;
            }
            return moved;
        });
    }

    /** The exclusive upper bound of a range partition ({@code FOR VALUES FROM (a) TO (b)}); empty for MAXVALUE. */
    static Optional<Long> upperBound(String partitionBound) {
        Matcher m = UPPER_BOUND.matcher(partitionBound);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }
}
