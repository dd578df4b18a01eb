package org.parley.data;

import org.parley.discussion.CommentThread;

import java.sql.ResultSet;
import java.sql.Statement;

/** Comment rows written straight into a shard, and what PostgreSQL knows of the partition that holds them. */
final class PartitionRows {
    private PartitionRows() {
    }

    /** Top-level rows {@code first} to {@code last} of the thread, with IDs two apart (room for a reply after each). */
    static void addTopLevel(Statement s, String schema, long threadId, int first, int last) throws Exception {
        s.execute("""
                INSERT INTO %1$s.comment (id, thread_id, site_id, root_id, path, depth, author_name, author_avatar,
                                          body_source, body_html, state, score)
                SELECT %2$d + g * 2, %2$d, 1, %2$d + g * 2, lpad(to_hex(%2$d + g * 2), 16, '0'), 0, 'n', '0123456789abcdef',
                       'b', '<p>b</p>', 'approved', g %% 17
                  FROM generate_series(%3$d, %4$d) g
                """.formatted(schema, threadId, first, last));
    }

    /** The partition that holds the thread's comments (all of them: a test's thread is younger than a month). */
    static String hotPartitionOf(CommentThread thread) {
        return "comment_p" + java.time.format.DateTimeFormatter.ofPattern("yyyyMM")
                .format(Ids.createdAt(thread.id()).atZone(java.time.ZoneOffset.UTC));
    }

    /** The rows the planner assumes the table holds, from its last analysis. */
    static long assumedRows(Statement s, String table) throws Exception {
        return single(s, "SELECT reltuples::bigint FROM pg_class WHERE oid = '" + table + "'::regclass");
    }

    /** The one number {@code sql} answers. */
    static long single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rs.getLong(1);
        }
    }

    /** The text of an EXPLAIN (or any one-column result), one line each. */
    static String lines(ResultSet rs) throws Exception {
        StringBuilder text = new StringBuilder();
        while (rs.next()) {
            text.append(rs.getString(1)).append('\n');
        }
        return text.toString();
    }
}
