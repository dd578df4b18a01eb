package org.parley.web;

import org.junit.jupiter.api.Test;
import org.parley.data.Lsn;
import org.parley.testing.MutableClock;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WritePositionCookieTest {
    private static final Duration WINDOW = Duration.ofSeconds(15);
    private final KeyRing keys = KeyRing.of(List.of(KeyRing.generateKey()));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final WritePositionCookie cookie = cookie(keys);

    @Test
    void carriesOnePositionPerClusterSignedAndSmall() {
        var positions = Map.of("main", Lsn.parse("16/B374D848"), "db2", Lsn.parse("0/3568490"));
        String value = cookie.encode(positions);

        assertThat(value).startsWith("w1.1795608000.db2-3568490~main-16b374d848.");
        assertThat(value.length()).isLessThan(120);
        assertThat(cookie.decode(value).positions()).isEqualTo(positions);
    }

    @Test
    void anythingNotSignedByTheRingIsIgnored() {
        String value = cookie.encode(Map.of("main", Lsn.parse("0/100")));

        assertThat(cookie.decode(value.replace("main-100", "main-fffffff"))).as("tampered").isNull();
        assertThat(cookie.decode(value.substring(0, value.length() - 2))).as("cut short").isNull();
        assertThat(cookie(KeyRing.of(List.of(KeyRing.generateKey()))).decode(value)).as("another key").isNull();
        assertThat(cookie.decode(keys.sign("s1.AAAAAAAAAAAAAAAAAAAAAA..1795608000"))).as("a session").isNull();
        assertThat(cookie.decode("")).isNull();
    }

    @Test
    void lapsesAfterTheWindowWhenEveryReplicaInUseHasTheWrite() {
        String value = cookie.encode(Map.of("main", Lsn.parse("0/100")));
        clock.advance(WINDOW.minusSeconds(1));
        assertThat(cookie.decode(value)).isNotNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cookie.decode(value)).isNull();
    }

    private WritePositionCookie cookie(KeyRing ring) {
        return new WritePositionCookie(ring, new CookieAttributes(URI.create("http://localhost")), WINDOW, clock);
    }
}
