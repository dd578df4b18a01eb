package org.parley.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Picks a thread's logical shard from what names it: {@code hash(site id, thread key) mod N}. No lookup table,
 * so any instance (or an import script in another language) computes the same answer.
 *
 * The hash is the first 8 bytes of SHA-256 over "siteId:key" (UTF-8), read big-endian as an unsigned number.
 * It must never change: rows stay in the shard this picks when they are written.
 */
public final class ShardRouter {
    private final int shardCount;

    public ShardRouter(int shardCount) {
        this.shardCount = shardCount;
    }

    public int shardOf(long siteId, String threadKey) {
        byte[] digest = sha256().digest((siteId + ":" + threadKey).getBytes(StandardCharsets.UTF_8));
        long hash = ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        return (int) Long.remainderUnsigned(hash, shardCount);
    }

    public int shardCount() {
        return shardCount;
    }

    /** s0000 … s8191: the schema that holds a logical shard. */
    public static String schemaOf(int shard) {
        return "s%04d".formatted(shard);
    }

    /** The shard a schema name like s0003 holds; empty for anything else. */
    public static java.util.Optional<Integer> shardOfSchema(String schema) {
        return schema != null && schema.matches("s\\d{4}")
                ? java.util.Optional.of(Integer.parseInt(schema.substring(1))) : java.util.Optional.empty();
    }

    /**
     * A fresh digest, cloned from one made at start: {@code getInstance} looks the algorithm up among the security
     * providers on each call, about 1 % of a cache-off page's CPU (JFR), where a clone copies a few words of state.
     * A provider whose digests cannot be cloned (some FIPS modules) is asked each time, as before.
     */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static final MessageDigest SHA_256 = newSha256();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
