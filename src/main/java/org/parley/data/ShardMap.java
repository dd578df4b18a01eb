package org.parley.data;

import org.parley.config.ConfigException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which physical cluster holds each logical shard. Logical shards are fixed at cluster creation; growing
 * means moving ranges of them to new clusters, never re-hashing rows.
 *
 * Written as {@code 0-31:main,32-63:db2}; every shard 0…N-1 must appear exactly once.
 */
public final class ShardMap {
    private static final Pattern ENTRY = Pattern.compile("(\\d+)(?:-(\\d+))?:([a-z0-9_]+)");

    private final String[] clusterOfShard;

    private ShardMap(String[] clusterOfShard) {
        this.clusterOfShard = clusterOfShard;
    }

    /** Every logical shard on one cluster: the default, and all the embedded mode ever needs. */
    public static ShardMap allOn(String cluster, int shardCount) {
        String[] map = new String[shardCount];
        Arrays.fill(map, cluster);
        return new ShardMap(map);
    }

    public static ShardMap parse(String setting, String text, int shardCount, Set<String> clusters) {
        String[] map = new String[shardCount];
        List<String> problems = new ArrayList<>();
        for (String entry : text.split(",")) {
            Matcher m = ENTRY.matcher(entry.strip().toLowerCase());
            if (!m.matches()) {
                problems.add(setting + ": '" + entry.strip() + "' should look like FROM-TO:CLUSTER, e.g. 0-31:main");
                continue;
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            String cluster = m.group(3);
            if (!clusters.contains(cluster)) {
                problems.add(setting + ": cluster '" + cluster + "' is not defined; define PARLEY_CLUSTER_"
                        + cluster.toUpperCase() + "_URL or use one of " + clusters);
            }
            if (from > to || to >= shardCount) {
                problems.add(setting + ": range " + from + "-" + to + " is outside the logical shards 0-" + (shardCount - 1));
                continue;
            }
            for (int shard = from; shard <= to; shard++) {
                if (map[shard] != null) {
                    problems.add(setting + ": logical shard " + shard + " is assigned twice");
                    break;
                }
                map[shard] = cluster;
            }
        }
        int unassigned = (int) Arrays.stream(map).filter(c -> c == null).count();
        if (problems.isEmpty() && unassigned > 0) {
            problems.add(setting + ": " + unassigned + " logical shards have no cluster (first: "
                    + Arrays.asList(map).indexOf(null) + "); every shard 0-" + (shardCount - 1) + " needs one");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ShardMap(map);
    }

    public int shardCount() {
        return clusterOfShard.length;
    }

    public String clusterOf(int shard) {
        return clusterOfShard[shard];
    }

    /** The same map with one logical shard on another cluster (a finished shard move). */
    public ShardMap with(int shard, String cluster) {
        String[] map = clusterOfShard.clone();
        map[shard] = cluster;
        return new ShardMap(map);
    }

    /** The logical shards a cluster holds, in order. */
    public List<Integer> shardsOn(String cluster) {
        List<Integer> shards = new ArrayList<>();
        for (int i = 0; i < clusterOfShard.length; i++) {
            if (clusterOfShard[i].equals(cluster)) {
                shards.add(i);
            }
        }
        return shards;
    }

    /** The compact form, as it would be written in PARLEY_SHARD_MAP. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        int start = 0;
        for (int i = 1; i <= clusterOfShard.length; i++) {
            if (i == clusterOfShard.length || !clusterOfShard[i].equals(clusterOfShard[start])) {
                if (!out.isEmpty()) {
                    out.append(',');
                }
                out.append(start).append('-').append(i - 1).append(':').append(clusterOfShard[start]);
                start = i;
            }
        }
        return out.toString();
    }
}
