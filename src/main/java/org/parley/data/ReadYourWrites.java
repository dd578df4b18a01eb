package org.parley.data;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One request's read-your-writes bookkeeping: per cluster, the primary's WAL position after this visitor's last
 * write (from their signed cookie, and from writes made during this request). {@link Databases#read} sends the
 * request's reads only to replicas that have replayed that far; after a write commits, the new position is
 * handed to the web layer, which puts it in the visitor's cookie. It also keeps a request's reads from going back
 * in time: once a cluster was read on one server, later reads stay on it or move to the primary ({@link #readOn}).
 *
 * <p>The scope is a thread-local opened by the request filter, like {@link QueryStats}; outside a request
 * (start-up, background jobs) there is none, and reads may use any usable replica.
 */
public final class ReadYourWrites {
    private static final ThreadLocal<ReadYourWrites> CURRENT = new ThreadLocal<>();

    private final Map<String, Lsn> positions;
    /** Per cluster, the server this request read it from (empty: the primary), once it has read it. */
    private final Map<String, Optional<Replica>> readOn = new ConcurrentHashMap<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Consumer<Map<String, Lsn>> onWrite;
    private final boolean primaryOnly;
    private volatile boolean replicaFailed;

    private ReadYourWrites(Map<String, Lsn> positions, Consumer<Map<String, Lsn>> onWrite, boolean primaryOnly) {
        this.positions = new ConcurrentHashMap<>(positions);
        this.onWrite = onWrite;
        this.primaryOnly = primaryOnly;
    }

    /**
     * Opens the scope for the current thread's request.
     *
     * @param fromCookie the visitor's last write positions, per cluster
     * @param onWrite    called after a write commits with every position the visitor now needs to carry
     */
    public static void begin(Map<String, Lsn> fromCookie, Consumer<Map<String, Lsn>> onWrite) {
        begin(fromCookie, onWrite, false);
    }

    /**
     * Opens the scope; with {@code primaryOnly} every read of the request goes to the primary. That is for
     * requests that write (a POST): what they read decides what they write, and a write must never depend on a
     * replica — one that stops mid-request would fail the write, and one that lags could make it act on old data.
     */
    public static void begin(Map<String, Lsn> fromCookie, Consumer<Map<String, Lsn>> onWrite, boolean primaryOnly) {
        CURRENT.set(new ReadYourWrites(fromCookie, onWrite, primaryOnly));
    }

    /** Whether the current thread serves a request (with its read-your-writes scope open). */
    static boolean active() {
        return CURRENT.get() != null;
    }

    /** True while serving a request that writes: its reads go to the primary (see {@link #begin}). */
    static boolean primaryOnly() {
        ReadYourWrites scope = CURRENT.get();
        return scope != null && scope.primaryOnly;
    }

    public static void end() {
        CURRENT.remove();
    }

    /** The current thread's scope, or null outside a request: for work fanned out on its behalf. */
    static ReadYourWrites current() {
        return CURRENT.get();
    }

    /**
     * The current thread's scope, or null outside a request: kept by a write that another thread may commit for
     * this request together with others' ({@link #writingFor}).
     */
    public static ReadYourWrites ofThisRequest() {
        return CURRENT.get();
    }

    /**
     * Runs {@code write}, one transaction made on behalf of several requests (a group commit, where one caller's
     * thread runs the others' writes too), and then tells each request where it committed, as its own write would
     * have: its later reads wait for a replica that has it, and its visitor's cookie carries the position. A null
     * entry is a caller outside any request. Without replicas no position is taken and nothing changes.
     */
    public static void writingFor(java.util.List<ReadYourWrites> requests, Runnable write) {
        ReadYourWrites own = CURRENT.get();
        if (requests.size() == 1 && requests.get(0) == own) {
            write.run(); // the caller's own write, on its own thread: it notes its position itself
            return;
        }
        ReadYourWrites shared = new ReadYourWrites(Map.of(), positions -> { }, true);
        CURRENT.set(shared);
        try {
            write.run();
        } finally {
            if (own == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(own);
            }
            if (!shared.positions.isEmpty()) {
                for (ReadYourWrites request : requests) {
                    if (request != null) {
                        shared.positions.forEach((cluster, at) ->
                                request.positions.merge(cluster, at, (a, b) -> a.atLeast(b) ? a : b));
                        request.onWrite.accept(new TreeMap<>(request.positions));
                    }
                }
            }
        }
    }

    /**
     * Makes {@code scope} current on this thread: a task that reads for a request (a read across shards, see
     * {@link AllShards}) is routed as the request's own reads would be. The scope's maps are concurrent.
     */
    static void adopt(ReadYourWrites scope) {
        CURRENT.set(scope);
    }

    /**
     * True when a replica connection broke during this request (and was marked down): a request that only reads
     * can be served again, and its reads now go elsewhere. Clears the flag.
     */
    public static boolean takeReplicaFailure() {
        ReadYourWrites scope = CURRENT.get();
        if (scope == null || !scope.replicaFailed) {
            return false;
        }
        scope.replicaFailed = false;
        return true;
    }

    static void replicaFailed() {
        ReadYourWrites scope = CURRENT.get();
        if (scope != null) {
            scope.replicaFailed = true;
        }
    }

    /** True when the current visitor wrote recently: pages must not serve them an older cached version. */
    public static boolean wroteRecently() {
        ReadYourWrites scope = CURRENT.get();
        return scope != null && !scope.positions.isEmpty();
    }

    /** The position the current visitor's reads on {@code cluster} must include, or null. */
    static Lsn required(String cluster) {
        ReadYourWrites scope = CURRENT.get();
        return scope == null ? null : scope.positions.get(cluster);
    }

    /**
     * Where this request read {@code cluster} so far: a replica, or empty for the primary; null before its first
     * read (and outside a request). Later reads stay there or go to the primary, never to another replica, which
     * may be further behind: a page must not combine a thread row with an older list of its comments.
     */
    static Optional<Replica> readOn(String cluster) {
        ReadYourWrites scope = CURRENT.get();
        return scope == null ? null : scope.readOn.get(cluster);
    }

    /** This request now reads {@code cluster} on that server (empty: the primary). */
    static void readingOn(String cluster, Optional<Replica> server) {
        ReadYourWrites scope = CURRENT.get();
        if (scope != null) {
            scope.readOn.put(cluster, server);
        }
    }

    /** A statement changed data on the cluster's primary: its position is read once the connection is done. */
    static void wrote(String cluster) {
        ReadYourWrites scope = CURRENT.get();
        if (scope != null) {
            scope.pending.add(cluster);
        }
    }

    /** Whether this request wrote to {@code cluster} since the last position was taken (and forgets it). */
    static boolean takePending(String cluster) {
        ReadYourWrites scope = CURRENT.get();
        return scope != null && scope.pending.remove(cluster);
    }

    /** The cluster's primary was at {@code position} after this request's write committed. */
    static void committed(String cluster, Lsn position) {
        ReadYourWrites scope = CURRENT.get();
        if (scope == null) {
            return;
        }
        scope.positions.merge(cluster, position, (a, b) -> a.atLeast(b) ? a : b);
        scope.onWrite.accept(new TreeMap<>(scope.positions));
    }
}
