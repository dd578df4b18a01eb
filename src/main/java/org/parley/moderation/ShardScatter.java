package org.parley.moderation;

import org.parley.data.Databases;
import org.parley.data.QueryStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Site-wide reads over every shard, at one statement per PHYSICAL database: the caller builds one statement for a
 * cluster's list of logical shards (a UNION ALL over their schemas), and the clusters are asked in parallel on
 * virtual threads, each counted in the request that asked (X-Parley-Sql-Count). So the cost of a console page
 * does not grow with the number of logical shards. (ReviewQueue does the same inline.)
 */
final class ShardScatter {
    private final Databases databases;

    ShardScatter(Databases databases) {
        this.databases = databases;
    }

    /** The results of {@code perCluster} (given a cluster's shards, in order), one list per physical cluster. */
    <T> List<T> each(Function<List<Integer>, T> perCluster) {
        QueryStats stats = QueryStats.current();
        List<Future<T>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (List<Integer> shards : shardsByCluster().values()) {
                results.add(pool.submit(() -> {
                    QueryStats.adopt(stats); // count this statement in the request that asked for it
                    try {
                        return perCluster.apply(shards);
                    } finally {
                        QueryStats.end();
                    }
                }));
            }
        }
        List<T> out = new ArrayList<>();
        for (Future<T> result : results) {
            out.add(join(result));
        }
        return out;
    }

    private Map<String, List<Integer>> shardsByCluster() {
        Map<String, List<Integer>> byCluster = new TreeMap<>();
        var map = databases.shardMap();
        for (int shard = 0; shard < map.shardCount(); shard++) {
            byCluster.computeIfAbsent(map.clusterOf(shard), c -> new ArrayList<>()).add(shard);
        }
        return byCluster;
    }

    private static <T> T join(Future<T> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the shards", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("reading the shards failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
