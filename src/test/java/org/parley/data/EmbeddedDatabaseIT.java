package org.parley.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default keeps what it acknowledged: its PostgreSQL syncs commits to disk (fsync, synchronous
 * commits) unless PARLEY_EMBEDDED_DURABILITY=fast says otherwise. zonky, which it is built on, turns both off.
 */
class EmbeddedDatabaseIT {

    @Test
    void theEmbeddedDefaultIsDurable(@TempDir Path dir) throws SQLException {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
            assertThat(setting(db, "fsync")).isEqualTo("on");
            assertThat(setting(db, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(db, "full_page_writes")).isEqualTo("on");
        }
    }

    @Test
    void theFastModeIsOnlyWhatItIsAskedFor(@TempDir Path dir) throws SQLException {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, EmbeddedDatabase.Durability.FAST)) {
            assertThat(setting(db, "fsync")).isEqualTo("off");
            assertThat(setting(db, "synchronous_commit")).isEqualTo("off");
        }
    }

    private static String setting(EmbeddedDatabase db, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url().jdbcUrl(), EmbeddedDatabase.USER, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
