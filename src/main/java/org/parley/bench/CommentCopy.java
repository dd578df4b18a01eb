package org.parley.bench;

import org.parley.data.Ids;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * Streams comment rows into one {@code COPY … FROM STDIN (FORMAT csv)}: PostgreSQL's fastest way in, about ten
 * times the rows per second of multi-row INSERTs. Rows are sent in chunks of about {@link #CHUNK_CHARS}, so a
 * thread of any size costs bounded memory.
 */
final class CommentCopy {
    static final String COLUMNS = "id, thread_id, site_id, parent_id, root_id, path, depth, author_name,"
            + " author_email, author_avatar, body_source, body_html, state, reply_count, ip, created_at";
    private static final int CHUNK_CHARS = 1 << 20;

    /** What one row needs besides its texts; ids and counters were worked out by the caller. */
    record Row(long id, long threadId, long siteId, long parentId, long rootId, String path, int depth,
               CommentTexts.Author author, CommentTexts.Body body, boolean deleted, int replyCount, String ip) {
    }

    private final CopyIn copy;
    private final StringBuilder buffer = new StringBuilder(CHUNK_CHARS + 64 * 1024);

    CommentCopy(CopyIn copy) {
        this.copy = copy;
    }

    static String sql(String schema) {
        return "COPY " + schema + ".comment (" + COLUMNS + ") FROM STDIN (FORMAT csv)";
    }

    void add(Row row) throws SQLException {
        StringBuilder b = buffer;
        b.append(row.id()).append(',').append(row.threadId()).append(',').append(row.siteId()).append(',');
        if (row.parentId() > 0) {
            b.append(row.parentId());
        }
        b.append(',').append(row.rootId()).append(',');
        quoted(row.path());
        b.append(',').append(row.depth()).append(',');
        quoted(row.author().name());
        b.append(',');
        if (row.author().email() != null) {
            quoted(row.author().email());
        }
        b.append(',');
        quoted(row.author().avatar());
        b.append(',');
        quoted(row.body().source());
        b.append(',');
        // a removed comment keeps its source for moderators and loses its rendering (CommentRepository.markDeleted)
        quoted(row.deleted() ? "" : row.body().html());
        b.append(',').append(row.deleted() ? "deleted" : "approved").append(',').append(row.replyCount()).append(',')
                .append(row.ip()).append(',').append(Ids.createdAt(row.id())).append('\n');
        if (b.length() >= CHUNK_CHARS) {
            flush();
        }
    }

    /** Sends what is buffered and ends the COPY. */
    long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    private void flush() throws SQLException {
        if (!buffer.isEmpty()) {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }

    /** CSV: always quoted (so "" is an empty string, not NULL), inner quotes doubled; newlines may stay. */
    private void quoted(String text) {
        buffer.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                buffer.append('"');
            }
            buffer.append(c);
        }
        buffer.append('"');
    }
}
