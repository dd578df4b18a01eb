package org.parley.data;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the server for one read on a cluster: a usable replica that has replayed the visitor's last write, taken
 * in turn, else the primary. Every decision is counted, so /metrics shows how much of the read load the
 * replicas take and, when they take none, why:
 * <ul>
 *     <li>{@code parley.reads.CLUSTER.replica.HOST_PORT} — served by that replica</li>
 *     <li>{@code parley.reads.CLUSTER.primary.replicas-unusable} — every replica down, lagging or not polled yet</li>
 *     <li>{@code parley.reads.CLUSTER.primary.read-your-writes} — replicas are fine, but none has replayed this
 *     visitor's write yet</li>
 *     <li>{@code parley.reads.CLUSTER.primary.replica-failed} — the chosen replica refused a connection</li>
 *     <li>{@code parley.reads.CLUSTER.primary.earlier-read} — the request read the cluster before, on the primary or
 *     on a replica it cannot use any more; another replica might be behind that read</li>
 *     <li>{@code parley.reads.CLUSTER.primary.write-request} — the read belongs to a request that writes (POST),
 *     which never depends on a replica</li>
 * </ul>
 */
final class ReadRouter {
    enum Reason {
        REPLICAS_UNUSABLE("replicas-unusable"),
        READ_YOUR_WRITES("read-your-writes"),
        REPLICA_FAILED("replica-failed"),
        EARLIER_READ("earlier-read"),
        WRITE_REQUEST("write-request");

        final String metric;

        Reason(String metric) {
            this.metric = metric;
        }
    }

    private final String cluster;
    private final List<Replica> replicas;
    private final Counter[] toReplica;
    private final Map<Reason, Counter> toPrimary = new EnumMap<>(Reason.class);
    private final AtomicInteger turn = new AtomicInteger();

    ReadRouter(String cluster, List<Replica> replicas, MetricRegistry metrics) {
        this.cluster = cluster;
        this.replicas = List.copyOf(replicas);
        this.toReplica = new Counter[replicas.size()];
        for (int i = 0; i < replicas.size(); i++) {
            toReplica[i] = metrics.counter(MetricRegistry.name("parley.reads", cluster, "replica",
                    replicas.get(i).metricName()));
        }
        for (Reason reason : Reason.values()) {
            toPrimary.put(reason, metrics.counter(MetricRegistry.name("parley.reads", cluster, "primary", reason.metric)));
        }
    }

    /**
     * The replica to read from, or null for the primary.
     *
     * @param written the visitor's last write position on this cluster (null: no recent write)
     */
    Replica choose(Lsn written) {
        int n = replicas.size();
        int start = Math.floorMod(turn.getAndIncrement(), n);
        boolean anyUsable = false;
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            ReplicaState state = replicas.get(index).state();
            if (!state.usable()) {
                continue;
            }
            anyUsable = true;
            // the polled position is at most a poll old and replay only advances: if it covers the write, it is there
            if (written == null || state.hasReplayed(written)) {
                toReplica[index].inc();
                return replicas.get(index);
            }
        }
        toPrimary.get(anyUsable ? Reason.READ_YOUR_WRITES : Reason.REPLICAS_UNUSABLE).inc();
        return null;
    }

    /**
     * The server for a request's later read: the replica of its earlier reads while that one is usable and has the
     * visitor's write, else (and after a read on the primary) the primary. Never another replica: it may not have
     * replayed what the earlier read saw.
     *
     * @param earlier the replica the request read from so far, or null for the primary
     * @param written the visitor's last write position on this cluster (null: no recent write)
     */
    Replica stay(Replica earlier, Lsn written) {
        if (earlier != null) {
            ReplicaState state = earlier.state();
            int index = replicas.indexOf(earlier);
            if (index >= 0 && state.usable() && (written == null || state.hasReplayed(written))) {
                toReplica[index].inc();
                return earlier;
            }
        }
        toPrimary.get(Reason.EARLIER_READ).inc();
        return null;
    }

    /** A read made by a request that writes: always the primary (returns null, counted). */
    Replica forWrite() {
        toPrimary.get(Reason.WRITE_REQUEST).inc();
        return null;
    }

    void fellBack() {
        toPrimary.get(Reason.REPLICA_FAILED).inc();
    }

    String cluster() {
        return cluster;
    }

    List<Replica> replicas() {
        return replicas;
    }
}
