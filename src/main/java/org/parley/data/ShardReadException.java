package org.parley.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A read across shards ({@link AllShards}) failed on one cluster: says which cluster, which of its servers and
 * which logical shards the failed statement covered, then why — e.g. {@code "Reading logical shards s0004-s0007
 * on cluster db2 (primary) failed: ... relation "s0005.comment" does not exist"}. The original exception is the
 * cause, so an outage is still recognised as one ({@link DatabaseUnavailable#causeOf}).
 */
public final class ShardReadException extends RuntimeException {
    private final String cluster;
    private final AllShards.Source source;
    private final List<Integer> shards;

    public ShardReadException(String cluster, AllShards.Source source, List<Integer> shards, Throwable cause) {
        super("Reading logical shards " + ranges(shards) + " on cluster " + cluster + " ("
                + source.name().toLowerCase() + ") failed: " + cause.getMessage(), cause);
        this.cluster = cluster;
        this.source = source;
        this.shards = List.copyOf(shards);
    }

    public String cluster() {
        return cluster;
    }

    public AllShards.Source source() {
        return source;
    }

    /** The logical shards the failed statement read. */
    public List<Integer> shards() {
        return shards;
    }

    /** Ascending shard numbers as schema ranges: {@code s0000-s0003, s0008}. */
    static String ranges(List<Integer> shards) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < shards.size()) {
            int j = i;
            while (j + 1 < shards.size() && shards.get(j + 1) == shards.get(j) + 1) {
                j++;
            }
            parts.add(i == j ? ShardRouter.schemaOf(shards.get(i))
                    : ShardRouter.schemaOf(shards.get(i)) + "-" + ShardRouter.schemaOf(shards.get(j)));
            i = j + 1;
        }
        return String.join(", ", parts);
    }
}
