package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.data.Lsn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The visitor's last write positions, per cluster, in a signed cookie:
 * {@code parley_wal=w1.<issuedAt>.<cluster>-<lsn hex>~<cluster>-<lsn hex>.<keyId>.<mac>}, signed by the session
 * {@link KeyRing} so nobody can pin their reads to a primary with a made-up position. Guests get it too: it
 * needs no session. It lives for {@code window} (the replicas in use have replayed any position older than that),
 * so a reader who wrote nothing lately carries nothing and reads any usable replica.
 */
public final class WritePositionCookie {
    public static final String COOKIE = "parley_wal";
    private static final String VERSION = "w1";
    private static final Pattern PAYLOAD = Pattern.compile("w1\\.([0-9]{1,18})\\.([a-z0-9_~-]+)");
    private static final Pattern ENTRY = Pattern.compile("([a-z0-9_]+)-([0-9a-f]{1,16})");
    /** A cookie naming more clusters than any shard map would is not ours: ignore it. */
    private static final int MAX_ENTRIES = 64;

    private final KeyRing keys;
    private final CookieAttributes cookies;
    private final Duration window;
    private final Clock clock;

    public WritePositionCookie(KeyRing keys, CookieAttributes cookies, Duration window, Clock clock) {
        this.keys = keys;
        this.cookies = cookies;
        this.window = window;
        this.clock = clock;
    }

    /** The positions the request's cookie proves and that are still within the window; empty for anything else. */
    public Map<String, Lsn> read(HttpServletRequest req) {
        Map<String, Lsn> newest = Map.of();
        Instant newestIssued = Instant.MIN;
        Enumeration<String> headers = req.getHeaders("Cookie");
        while (headers != null && headers.hasMoreElements()) {
            for (String pair : headers.nextElement().split(";")) {
                String cookie = pair.strip();
                if (cookie.startsWith(COOKIE + "=")) {
                    Decoded decoded = decode(cookie.substring(COOKIE.length() + 1));
                    // partitioned and first-party copies may both arrive: the newest wins
                    if (decoded != null && decoded.issued().isAfter(newestIssued)) {
                        newest = decoded.positions();
                        newestIssued = decoded.issued();
                    }
                }
            }
        }
        return newest;
    }

    /** Sets the cookie to {@code positions}, replacing one set earlier in this response. */
    public void write(HttpServletRequest req, HttpServletResponse resp, Map<String, Lsn> positions) {
        if (resp.isCommitted()) {
            return; // writes happen before rendering; if one ever does not, the visitor may read an older replica
        }
        String header = cookies.setCookie(req, COOKIE, encode(positions), window);
        Collection<String> existing = resp.getHeaders("Set-Cookie");
        List<String> others = existing.stream().filter(h -> !h.startsWith(COOKIE + "=")).toList();
        if (others.size() == existing.size()) {
            resp.addHeader("Set-Cookie", header);
            return;
        }
        resp.setHeader("Set-Cookie", header);
        others.forEach(other -> resp.addHeader("Set-Cookie", other));
    }

    String encode(Map<String, Lsn> positions) {
        StringBuilder entries = new StringBuilder();
        new TreeMap<>(positions).forEach((cluster, lsn) -> {
            if (!entries.isEmpty()) {
                entries.append('~');
            }
            entries.append(cluster).append('-').append(lsn.hex());
        });
        return keys.sign(VERSION + "." + clock.instant().getEpochSecond() + "." + entries);
    }

    record Decoded(Instant issued, Map<String, Lsn> positions) {
    }

    /** The positions a cookie value carries, if a key of the ring signed it and it is within the window; else null. */
    Decoded decode(String value) {
        Matcher m = keys.verified(value).map(PAYLOAD::matcher).filter(Matcher::matches).orElse(null);
        if (m == null) {
            return null;
        }
        Instant issued = Instant.ofEpochSecond(Long.parseLong(m.group(1)));
        if (!issued.plus(window).isAfter(clock.instant())) {
            return null; // every replica in use has replayed these positions by now
        }
        String[] entries = m.group(2).split("~");
        if (entries.length > MAX_ENTRIES) {
            return null;
        }
        Map<String, Lsn> positions = new TreeMap<>();
        for (String text : entries) {
            Matcher entry = ENTRY.matcher(text);
            if (!entry.matches()) {
                return null;
            }
            positions.put(entry.group(1), Lsn.fromHex(entry.group(2)));
        }
        return new Decoded(issued, positions);
    }
}
