package org.parley.data;

/**
 * One streaming replica of a cluster and what the {@link ReplicaMonitor} last found out about it. Routing reads
 * {@link #state()} on every read, so it is one volatile field: no lock on the read path.
 */
public final class Replica {
    private final Databases.Server server;
    private volatile ReplicaState state = ReplicaState.UNKNOWN;

    Replica(Databases.Server server) {
        this.server = server;
    }

    public Databases.Server server() {
        return server;
    }

    public ReplicaState state() {
        return state;
    }

    /** host_port: this replica's part of metric names. */
    public String metricName() {
        return server.url().host().replace('.', '_').replace(':', '_') + "_" + server.url().port();
    }

    void update(ReplicaState next) {
        state = next;
    }

    /**
     * A read could not use the replica: skip it until the next poll finds it answering.
     *
     * @return true when it was serving reads until now (the start of an episode, worth one log line)
     */
    boolean failed(String reason) {
        ReplicaState before = state;
        state = ReplicaState.down(reason, before);
        return before.usable();
    }

    @Override
    public String toString() {
        return server.label();
    }
}
