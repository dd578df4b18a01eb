package org.parley.data;

import org.jooq.exception.DataAccessException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes one value of a result's current row, reading its columns by position. For the statements that read
 * hundreds of rows (a thread page): jOOQ's records cost a value object, a binding lookup and a type check per
 * column, which was about a tenth of a cache-off page's CPU (JFR, issue 18), where reading the driver's row
 * directly costs a getter call. The statement still runs through jOOQ, so its listeners count and route it.
 *
 * <p>Only for statements without a fetch size: pgjdbc then reads every row while the statement executes, so a
 * lost connection fails inside jOOQ, where its listeners see it ({@code RoutedReads} marks the replica), never
 * here while the rows are read.
 */
@FunctionalInterface
public interface RowReader<T> {
    T read(ResultSet row) throws SQLException;

    /** Every row of {@code rows}, in order; closes it (and so jOOQ's cursor, which releases the connection). */
    static <T> List<T> readAll(ResultSet rows, RowReader<T> reader) {
        try (rows) {
            List<T> read = new ArrayList<>();
            while (rows.next()) {
                read.add(reader.read(rows));
            }
            return read;
        } catch (SQLException e) {
            throw new DataAccessException("reading a row failed: " + e.getMessage(), e);
        }
    }

    /** A nullable {@code bigint} column. */
    static Long nullableLong(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
