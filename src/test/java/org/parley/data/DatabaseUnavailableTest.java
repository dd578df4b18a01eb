package org.parley.data;

import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which database failures a visitor is told to retry (503 + Retry-After) rather than shown as a bug. */
class DatabaseUnavailableTest {
    @Test
    void aFullDiskIsAnOutageToRetryInAMinuteNotABug() {
        // what PostgreSQL answers when a table cannot grow: "could not extend file …: No space left on device"
        var full = new DataAccessException("insert", new SQLException("could not extend file", "53100"));

        var cause = DatabaseUnavailable.causeOf(full);

        assertThat(cause).get().extracting(DatabaseUnavailable::kind).isEqualTo(DatabaseUnavailable.Kind.FULL);
        assertThat(cause.get().retryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(cause.get().visitorMessageKey()).isEqualTo("error.databaseFull");
        assertThat(DatabaseUnavailable.connectionFailure(full)).as("nothing about the connection").isFalse();
    }

    @Test
    void outOfMemoryIsTheSameButOtherErrorsStayBugs() {
        assertThat(DatabaseUnavailable.causeOf(new SQLException("out of memory", "53200")))
                .get().extracting(DatabaseUnavailable::kind).isEqualTo(DatabaseUnavailable.Kind.FULL);
        assertThat(DatabaseUnavailable.causeOf(new SQLException("syntax error", "42601"))).isEmpty();
        assertThat(DatabaseUnavailable.causeOf(new SQLException("duplicate key", "23505"))).isEmpty();
    }

    @Test
    void tooManyConnectionsStaysAConnectionFailure() {
        assertThat(DatabaseUnavailable.causeOf(new SQLException("too many clients", "53300")))
                .get().extracting(DatabaseUnavailable::kind).isEqualTo(DatabaseUnavailable.Kind.UNREACHABLE);
    }
}
