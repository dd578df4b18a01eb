package org.parley.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Counters that expire: what rate limits and the sign-in lockout count. {@link LocalCounters} keeps them in this
 * process; with Memcached configured, {@code org.parley.cache.CacheCounterStore} lets every instance behind the
 * balancer share them.
 *
 * A counter's window starts at its first event and does not move: a fixed window, at most twice the limit
 * across a window's end, which is what abuse control needs and costs one operation per check.
 */
public interface CounterStore {
    /** How many events a counter has seen, and when it goes away (the moment a refused client may retry). */
    record Count(long value, Instant resetsAt) {
    }

    /** Counts one event under key, starting a counter that lives for window when there is none. */
    Count increment(String key, Duration window);

    /** The counter under key as it stands, without counting; empty when there is none or it has expired. */
    Optional<Count> peek(String key);

    /** Forgets the counter under key (a successful sign-in clears its failures). */
    void reset(String key);

    /**
     * A key for kind and subject that is safe in any store (short, no spaces: Memcached allows 250 bytes) and
     * keeps emails and IP addresses out of a shared cache: the subject goes in as 16 hex digits of its SHA-256.
     */
    static String key(String kind, String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8));
            return kind + ":" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
