package org.parley.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a backup needs to know of one schema, read from PostgreSQL's catalog on a connection (inside the backup's
 * snapshot, or the restore's transaction): its tables in an order that satisfies their foreign keys, each table's
 * columns and primary key, its sequences' positions and the partitions of its partitioned tables.
 * Left out: Flyway's history (a restore migrates the target itself) and the shard map's own tables, which
 * describe the servers the backup came from, not the data (the manifest records the map).
 */
final class SchemaCatalog {
    static final Set<String> NOT_DATA = Set.of("flyway_schema_history", "shard_placement", "shard_move");

    record Table(String name, List<String> columns, List<String> primaryKey) {
        String columnList() {
            return String.join(", ", columns.stream().map(SchemaCatalog::quote).toList());
        }
    }

    record Partition(String parent, String name, String bound) {
    }

    private SchemaCatalog() {
    }

    /** The schema's data tables (partition roots, not their partitions), parents before the tables that refer to them. */
    static List<Table> tables(Connection c, String schema) throws SQLException {
        Map<String, Set<String>> references = new LinkedHashMap<>();
        query(c, """
                SELECT t.relname FROM pg_class t
                 WHERE t.relnamespace = ?::regnamespace AND t.relkind IN ('r', 'p') AND NOT t.relispartition
                 ORDER BY t.relname""", schema, rs -> {
            if (!NOT_DATA.contains(rs.getString(1))) {
                references.put(rs.getString(1), new LinkedHashSet<>());
            }
        });
        query(c, """
                SELECT child.relname, parent.relname FROM pg_constraint f
                  JOIN pg_class child ON child.oid = f.conrelid JOIN pg_class parent ON parent.oid = f.confrelid
                 WHERE f.contype = 'f' AND child.relnamespace = ?::regnamespace
                   AND parent.relnamespace = child.relnamespace AND child.oid <> parent.oid AND f.conparentid = 0""",
                schema, rs -> {
                    Set<String> parents = references.get(rs.getString(1));
                    if (parents != null && references.containsKey(rs.getString(2))) {
                        parents.add(rs.getString(2));
                    }
                });
        List<Table> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (placed.size() < references.size()) {
            int before = placed.size();
            for (var entry : references.entrySet()) {
                if (!placed.contains(entry.getKey()) && placed.containsAll(entry.getValue())) {
                    placed.add(entry.getKey());
                    ordered.add(new Table(entry.getKey(), columns(c, schema, entry.getKey()),
                            primaryKey(c, schema, entry.getKey())));
                }
            }
            if (placed.size() == before) {
                throw new IllegalStateException("Foreign keys in " + schema + " form a cycle among "
                        + references.keySet().stream().filter(t -> !placed.contains(t)).toList());
            }
        }
        return ordered;
    }

    /** The columns a COPY carries: stored ones, in table order (generated columns are computed again). */
    private static List<String> columns(Connection c, String schema, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        query(c, """
                SELECT attname FROM pg_attribute
                 WHERE attrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass
                   AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
                 ORDER BY attnum""", List.of(schema, table), rs -> columns.add(rs.getString(1)));
        return columns;
    }

    /** Rows are written in primary-key order: a comment's parent (an older, smaller id) comes before its replies. */
    private static List<String> primaryKey(Connection c, String schema, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        query(c, """
                SELECT a.attname FROM pg_index i
                  JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n) ON true
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                 WHERE i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass AND i.indisprimary
                 ORDER BY k.n""", List.of(schema, table), rs -> key.add(rs.getString(1)));
        return key;
    }

    /** Every sequence of the schema with the value its next call continues from. */
    static Map<String, Long> sequences(Connection c, String schema) throws SQLException {
        Map<String, Long> sequences = new LinkedHashMap<>();
        query(c, "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = ? ORDER BY sequencename",
                schema, rs -> {
                    long last = rs.getLong(2);
                    if (!rs.wasNull()) {
                        sequences.put(rs.getString(1), last);
                    }
                });
        return sequences;
    }

    /** The partitions of the schema's partitioned tables, with their bounds as PostgreSQL writes them. */
    static List<Partition> partitions(Connection c, String schema) throws SQLException {
        List<Partition> partitions = new ArrayList<>();
        query(c, """
                SELECT p.relname, c.relname, pg_get_expr(c.relpartbound, c.oid)
                  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                 WHERE p.relnamespace = ?::regnamespace AND p.relkind = 'p'
                 ORDER BY p.relname, c.relname""", schema,
                rs -> partitions.add(new Partition(rs.getString(1), rs.getString(2), rs.getString(3))));
        return partitions;
    }

    /** The schema's newest applied migration ("25"), as Flyway recorded it. */
    static String version(javax.sql.DataSource db, String schema) {
        try (Connection c = db.getConnection();
             var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM " + quote(schema) + ".flyway_schema_history"
                     + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            return rs.next() ? rs.getString(1) : "none";
        } catch (SQLException e) {
            throw new org.parley.config.StartupException("Cannot read the schema version of " + schema + ": "
                    + e.getMessage(), e);
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, String parameter, Row row) throws SQLException {
        query(c, sql, List.of(parameter), row);
    }

    private static void query(Connection c, String sql, List<String> parameters, Row row) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                s.setString(i + 1, parameters.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }
}
