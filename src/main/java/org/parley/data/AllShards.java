package org.parley.data;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.Select;
import org.jooq.SortField;
import org.jooq.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * The one way to read across every logical shard (site-wide views: the moderation queue, its gauges, a site's
 * statistics, an author's history), at ONE statement per physical database whatever the number of logical shards
 * — or, on a Citus coordinator set to {@link CitusReads#SHARDS}, one per shard schema ({@link CitusReads}).
 *
 * <p>The contract:
 * <ul>
 *     <li><b>What runs</b>: the caller's query, once per physical cluster, given a {@link Cluster} — the logical
 *     shards it holds (every shard of the shard map as it is when the read starts, in order) and the context for
 *     its one statement, usually {@link Cluster#unionAll} of a branch per shard built on {@link ShardTables}.
 *     On a Citus coordinator read {@link CitusReads#SHARDS}, each shard is a {@link Cluster} of its own (same
 *     name, one shard): the same query with one branch.</li>
 *     <li><b>Where</b>: {@link Source#PRIMARY} reads each cluster's primary (what must be current: the console
 *     acts on what it shows); {@link Source#REPLICA} goes where {@link Databases#read} would send this request.</li>
 *     <li><b>How</b>: clusters in parallel on virtual threads, at most {@link #PARALLEL} at once; each statement is
 *     counted in the request that asked ({@link QueryStats}) and routed under its read-your-writes scope. One
 *     cluster runs on the caller's thread.</li>
 *     <li><b>Merging</b>: {@link #each} (one result per cluster, in cluster-name order), {@link #combined}
 *     (folded, for sums and extremes), {@link #page} (merged by ID — IDs are time-ordered — and cut to a limit,
 *     keyset style).</li>
 *     <li><b>Failure</b>: every cluster is waited for, then the first failure in cluster order is thrown as
 *     {@link ShardReadException}, naming the cluster, the server role and its shards (any further ones
 *     suppressed under it). A database outage stays in the cause chain, so it is still a 503.</li>
 * </ul>
 */
public final class AllShards {
    /**
     * Clusters read at once for one caller: each read holds a connection to its cluster, and a page of a fleet
     * with many clusters should not open them all in the same instant; beyond this many they wait their turn.
     */
    public static final int PARALLEL = 16;

    /** Which server of each cluster answers. */
    public enum Source { PRIMARY, REPLICA }

    /** The order of a merged {@link #page}: by ID, which is creation order. */
    public enum Order {
        NEWEST_FIRST, OLDEST_FIRST;

        public <T> SortField<T> of(Field<T> id) {
            return this == NEWEST_FIRST ? id.desc() : id.asc();
        }
    }

    /** The logical shards one physical cluster holds, in order, and the context their one statement runs on. */
    public record Cluster(String name, List<Integer> shards, DSLContext dsl) {
        public Cluster {
            shards = List.copyOf(shards);
        }

        /**
         * Runs {@code query} with every value written into its SQL: for a statement a background job runs again
         * and again. PostgreSQL keeps one plan per connection for a server-prepared statement without
         * parameters, where one with parameters may get a custom plan per run (docs/scale-out.md, "Plans");
         * planning a union over every shard costs far more than running it — 20 ms for the outbox's look each
         * second, 160 ms for the moderation queue's gauges (issue 18).
         */
        public org.jooq.Result<Record> fetchPlannedOnce(ResultQuery<?> query) {
            // ParamType.INLINED in the settings is not enough: jOOQ still binds; the SQL is written out here and run
            // as a prepared statement of its own, which pgjdbc server-prepares after a few runs on a connection
            return dsl.resultQuery(dsl.renderInlined(query)).coerce(query.fields()).fetch();
        }

        /** A UNION ALL of {@code branch} for each of the cluster's shards, in shard order. */
        public <R extends Record> Select<R> unionAll(IntFunction<? extends Select<R>> branch) {
            return unionAll(shards, branch);
        }

        /**
         * The same over only those of its shards in {@code wanted} (the shards some known IDs live on); null when
         * the cluster holds none of them, so there is nothing to ask it.
         */
        public <R extends Record> Select<R> unionAll(java.util.Collection<Integer> wanted,
                                                     IntFunction<? extends Select<R>> branch) {
            Select<R> union = null;
            for (int shard : shards) {
                if (!wanted.contains(shard)) {
                    continue;
                }
                Select<R> one = branch.apply(shard);
                union = union == null ? one : union.unionAll(one);
            }
            return union;
        }

        /**
         * ONE statement: the first {@code limit} rows by {@code id} (a column every branch selects) of the
         * branches' UNION ALL. Each branch should be ordered and limited the same way, so it stops early on its
         * index instead of handing over all its rows.
         */
        public <R extends Record> ResultQuery<R> firstById(IntFunction<? extends Select<R>> branch, Field<Long> id,
                                                           Order order, int limit) {
            Table<R> all = unionAll(branch).asTable("q");
            return dsl.selectFrom(all)
                    .orderBy(order.of(all.field(id)))
                    .limit(limit);
        }
    }

    /** A merged page: at most the limit, and the ID of its last item when more follow (else null). */
    public record Page<T>(List<T> items, Long next) {
    }

    private final Databases databases;
    private final int parallel;

    public AllShards(Databases databases) {
        this(databases, PARALLEL);
    }

    /** With another bound than {@link #PARALLEL} (tests of the bound). */
    AllShards(Databases databases, int parallel) {
        this.databases = databases;
        this.parallel = parallel;
    }

    /** {@code query}'s result for each physical cluster, in cluster-name order (then shard order, see {@link CitusReads}). */
    public <T> List<T> each(Source source, Function<Cluster, T> query) {
        List<Cluster> clusters = clusters(source);
        if (clusters.size() == 1) {
            return Collections.singletonList(run(clusters.getFirst(), query, source));
        }
        QueryStats stats = QueryStats.current();
        ReadYourWrites scope = ReadYourWrites.current();
        Semaphore turns = new Semaphore(Math.min(parallel, perShardBound()));
        List<Future<T>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Cluster cluster : clusters) {
                results.add(pool.submit(() -> {
                    turns.acquire();
                    // counted in, and routed for, the request that asked
                    QueryStats.adopt(stats);
                    ReadYourWrites.adopt(scope);
                    try {
                        return run(cluster, query, source);
                    } finally {
                        ReadYourWrites.end();
                        QueryStats.end();
                        turns.release();
                    }
                }));
            }
        }
        return joined(results);
    }

    /** The clusters' results folded into one (sums, minimums, per-day totals). */
    public <T> T combined(Source source, Function<Cluster, T> query, BinaryOperator<T> combine) {
        return each(source, query).stream().reduce(combine).orElseThrow();
    }

    /**
     * A keyset page across every shard: {@code query} gives each cluster's first {@code limit + 1} items in
     * {@code order} (or all it has; {@link Cluster#firstById} builds that statement); they are merged by ID and
     * cut to {@code limit}.
     */
    public <T> Page<T> page(Source source, Order order, int limit, Function<Cluster, List<T>> query,
                            ToLongFunction<T> id) {
        List<T> merged = new ArrayList<>();
        each(source, query).forEach(merged::addAll);
        Comparator<T> byId = Comparator.comparingLong(id);
        merged.sort(order == Order.NEWEST_FIRST ? byId.reversed() : byId);
        boolean more = merged.size() > limit;
        List<T> items = List.copyOf(merged.subList(0, Math.min(limit, merged.size())));
        return new Page<>(items, more ? id.applyAsLong(items.getLast()) : null);
    }

    /** Every logical shard, grouped by the cluster that holds it (cluster-name order). */
    private List<Cluster> clusters(Source source) {
        Map<String, List<Integer>> byCluster = new TreeMap<>();
        ShardMap map = databases.shardMap();
        for (int shard = 0; shard < map.shardCount(); shard++) {
            byCluster.computeIfAbsent(map.clusterOf(shard), c -> new ArrayList<>()).add(shard);
        }
        List<Cluster> clusters = new ArrayList<>();
        byCluster.forEach((name, shards) -> {
            if (databases.citusReads(name).orElse(CitusReads.COORDINATOR) == CitusReads.SHARDS) {
                // a Citus coordinator runs a UNION ALL of distributed schemas one subplan at a time: one statement
                // per schema instead, each routed to its worker, in parallel (CitusReads)
                shards.forEach(shard -> clusters.add(new Cluster(name, List.of(shard), context(source, shard))));
            } else {
                // any shard's context of the cluster reaches every schema on it; the union names them itself
                clusters.add(new Cluster(name, shards, context(source, shards.getFirst())));
            }
        });
        return clusters;
    }

    /**
     * Read one statement per shard, a single page could take every connection of a Citus coordinator's pool at
     * once (64 shards, a pool of 10) and make the thread pages of everyone else wait behind it: such reads use at
     * most half of the smallest such pool at a time (at least one).
     */
    private int perShardBound() {
        int bound = Integer.MAX_VALUE;
        for (String cluster : databases.clusters()) {
            if (databases.citusReads(cluster).orElse(CitusReads.COORDINATOR) == CitusReads.SHARDS) {
                bound = Math.min(bound, Math.max(1, databases.primaryServer(cluster).pool().getMaximumPoolSize() / 2));
            }
        }
        return bound;
    }

    private DSLContext context(Source source, int shard) {
        return source == Source.PRIMARY ? databases.write(shard) : databases.read(shard);
    }

    private static <T> T run(Cluster cluster, Function<Cluster, T> query, Source source) {
        try {
            return query.apply(cluster);
        } catch (RuntimeException e) {
            throw new ShardReadException(cluster.name(), source, cluster.shards(), e);
        }
    }

    private static <T> List<T> joined(List<Future<T>> results) {
        List<T> out = new ArrayList<>();
        RuntimeException failed = null;
        for (Future<T> result : results) {
            try {
                out.add(result.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the shards", e);
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException("reading the shards failed: " + e.getCause(), e.getCause());
                if (failed == null) {
                    failed = cause;
                } else {
                    failed.addSuppressed(cause);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        return out;
    }
}
