package org.parley.testing;

import org.parley.data.Databases;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Every row of every table Parley owns — the main schema and each shard schema, on every cluster's primary — as
 * one checksum per table: a row count and an md5 over the rows' text. Two snapshots differ exactly where a request
 * inserted, updated or deleted something, so a test can prove an error wrote nothing at all. One statement per
 * cluster (a UNION ALL over its tables), so a table of hundreds of requests stays fast. Outbox rows count by what a
 * request writes (id, kind, payload), not their delivery state, which background workers change at any time.
 */
public final class DatabaseChecksum {
    private static final String TABLES = "SELECT n.nspname || '.' || c.relname FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
            + "AND (n.nspname = 'main' OR n.nspname ~ '^s[0-9]{4}$') ORDER BY 1";

    private DatabaseChecksum() {
    }

    /** "schema.table=rows:md5" lines, sorted, for every table on every primary. */
    public static String of(Databases databases) {
        Map<String, String> sums = new TreeMap<>();
        for (String cluster : databases.clusters()) {
            sums.putAll(of(databases.primaryOf(cluster)));
        }
        StringJoiner lines = new StringJoiner("\n");
        sums.forEach((table, sum) -> lines.add(table + "=" + sum));
        return lines.toString();
    }

    /**
     * Each primary's next transaction id, in one cheap query per cluster. PostgreSQL gives a transaction an id only
     * when it writes (any insert, update, delete or row lock, logged table or not), so when this is the same before
     * and after a request, nothing was written and the full {@link #of} comparison can be skipped. Background work
     * that writes (autoanalyze) moves it too: then the full comparison decides.
     */
    public static String nextTransactionIds(Databases databases) {
        StringJoiner ids = new StringJoiner(",");
        for (String cluster : databases.clusters()) {
            try (Connection c = databases.primaryOf(cluster).getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())")) {
                rs.next();
                ids.add(cluster + ":" + rs.getString(1));
            } catch (SQLException e) {
                throw new IllegalStateException("could not read the next transaction id: " + e.getMessage(), e);
            }
        }
        return ids.toString();
    }

    /** The tables whose line differs between two snapshots. */
    public static List<String> changed(String before, String after) {
        Map<String, String> was = parse(before);
        Map<String, String> now = parse(after);
        List<String> changed = new ArrayList<>();
        for (String table : now.keySet()) {
            if (!now.get(table).equals(was.get(table))) {
                changed.add(table + " (" + was.get(table) + " → " + now.get(table) + ")");
            }
        }
        was.keySet().stream().filter(t -> !now.containsKey(t)).forEach(t -> changed.add(t + " (gone)"));
        return changed;
    }

    private static Map<String, String> of(DataSource primary) {
        try (Connection c = primary.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(TABLES)) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            StringJoiner union = new StringJoiner(" UNION ALL ");
            for (String table : tables) {
                // an outbox row's delivery columns are moved by the background workers of every instance at any
                // moment; what a request writes is the row itself
                String row = table.endsWith(".outbox") ? "(x.id, x.kind, x.payload)" : "x";
                union.add("SELECT '" + table + "', count(*), coalesce(md5(string_agg(md5(" + row + "::text), '' ORDER BY "
                        + "md5(" + row + "::text))), '') FROM " + table + " x");
            }
            Map<String, String> sums = new TreeMap<>();
            if (tables.isEmpty()) {
                return sums;
            }
            try (ResultSet rs = s.executeQuery(union.toString())) {
                while (rs.next()) {
                    sums.put(rs.getString(1), rs.getLong(2) + ":" + rs.getString(3));
                }
            }
            return sums;
        } catch (SQLException e) {
            throw new IllegalStateException("could not checksum the tables: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> parse(String snapshot) {
        Map<String, String> tables = new TreeMap<>();
        for (String line : snapshot.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                tables.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return tables;
    }
}
