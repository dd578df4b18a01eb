package org.parley.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one Lettuce connection behind {@link RedisCache} (a Cluster's: one per node, behind one handle), opened
 * without making anyone wait for it long.
 *
 * <p>The first connection is opened in the background when the cache is made (which waits for it at most
 * {@link #CONNECT_TIMEOUT}, see {@link #awaitOpen}); until it is up, a call waits for it at most what is left of its
 * own timeout, and an attempt that failed is repeated at most every
 * {@link #CONNECT_RETRY} by the calls that find none. Once open, Lettuce keeps it: it reconnects by itself after
 * 100 ms, backing off to every {@link #RECONNECT_MAX} (through Sentinel, to the master's current address; in a
 * Cluster, following the topology), and while disconnected it refuses commands at once instead of queueing them: a
 * queued {@code get} would be answered after the page was served from PostgreSQL anyway.
 */
final class RedisConnection implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = MemcachedCache.CONNECT_TIMEOUT;
    /** How often calls that find no first connection start another attempt. */
    static final Duration CONNECT_RETRY = Duration.ofSeconds(1);
    /** Reconnects after a lost connection start at 100 ms and double up to this. */
    static final Duration RECONNECT_MAX = Duration.ofSeconds(2);
    /** A Cluster's topology is read again this often, and at once when a node redirects or disappears. */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

    /** An open connection and the commands on it (a Cluster's route each key to its node). */
    private record Open(StatefulConnection<String, String> connection,
                        RedisClusterAsyncCommands<String, String> commands) {
    }

    private final RedisTarget target;
    private final ClientResources resources;
    private final AutoCloseable client;
    private final Supplier<CompletableFuture<Open>> connector;
    private volatile Open open;
    private CompletableFuture<Open> attempt; // guarded by this
    private long attemptStarted; // guarded by this
    private boolean closed; // guarded by this

    private RedisConnection(RedisTarget target, ClientResources resources, AutoCloseable client,
                            Supplier<CompletableFuture<Open>> connector) {
        this.target = target;
        this.resources = resources;
        this.client = client;
        this.connector = connector;
    }

    /** Starts connecting in the background and returns at once. */
    static RedisConnection open(RedisTarget target, Duration opTimeout) {
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), RECONNECT_MAX, 2, TimeUnit.MILLISECONDS))
                .build();
        List<RedisURI> uris = target.uris();
        uris.forEach(uri -> uri.setTimeout(opTimeout));
        SocketOptions socket = SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build();
        // a private CA (PARLEY_REDIS_CA_FILE) instead of the JVM's; the host name is still checked against it
        SslOptions ssl = target.trustedCa()
                .map(ca -> SslOptions.builder().jdkSslProvider().trustManager(ca.toFile()).build())
                .orElseGet(SslOptions::create);
        RedisConnection connection;
        if (target.kind() == RedisTarget.Kind.CLUSTER) {
            var client = RedisClusterClient.create(resources, uris);
            client.setOptions(ClusterClientOptions.builder()
                    .socketOptions(socket)
                    .sslOptions(ssl)
                    .timeoutOptions(TimeoutOptions.enabled(opTimeout))
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
            // connectAsync alone fails with "Partitions not initialized": the topology is read first, also async
            connection = new RedisConnection(target, resources, client::shutdown,
                    () -> client.refreshPartitionsAsync().toCompletableFuture()
                            .thenCompose(topology -> client.connectAsync(StringCodec.UTF8))
                            .thenCompose(RedisConnection::withEveryNode));
        } else {
            var client = RedisClient.create(resources);
            client.setOptions(ClientOptions.builder()
                    .socketOptions(socket)
                    .sslOptions(ssl)
                    .timeoutOptions(TimeoutOptions.enabled(opTimeout))
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            RedisURI uri = uris.getFirst();
            connection = new RedisConnection(target, resources, client::shutdown,
                    () -> client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture()
                            .thenApply(c -> new Open(c, c.async())));
        }
        connection.connecting();
        return connection;
    }

    /**
     * The commands, waiting until {@code deadline} (System.nanoTime) for a first connection.
     *
     * @throws ExecutionException when the attempt failed (its cause says why), TimeoutException when it is slower
     */
    RedisClusterAsyncCommands<String, String> commands(long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        Open ready = open;
        if (ready != null) {
            return ready.commands();
        }
        return connecting().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).commands();
    }

    /**
     * Waits at most {@code max} for the first connection, as xmemcached connects at start: the first pages then
     * find Redis ready. A Redis that is down or slow is no error here; the calls that need it report it.
     */
    boolean awaitOpen(Duration max) {
        try {
            connecting().get(max.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false; // Outages logs it once the calls fail
        }
    }

    /** Whether the first connection was made (until then every call is the same attempt, whatever its key). */
    boolean opened() {
        return open != null;
    }

    /** In a Cluster, "host:port" of the master that serves key's slot as last known; empty for one server. */
    Optional<String> nodeOf(String key) {
        return cluster().map(c -> c.getPartitions().getPartitionBySlot(SlotHash.getSlot(key))).map(RedisConnection::name);
    }

    /** In a Cluster, the nodes of the topology as last known; empty for one server. */
    List<String> nodes() {
        return cluster().map(c -> c.getPartitions().stream().map(RedisConnection::name).toList()).orElse(List.of());
    }

    @Override
    public void close() {
        CompletableFuture<Open> pending;
        synchronized (this) {
            closed = true;
            pending = attempt;
        }
        if (pending != null) {
            pending.thenAccept(c -> c.connection().close());
        }
        try {
            client.close();
        } catch (Exception e) {
            log.warn("Closing the Redis client for {} failed: {}", target, e.toString());
        }
        // its event loops end before close returns, so a command (import, restore) exits when it is done
        if (!resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS)) {
            log.warn("The Redis client's threads for {} did not stop within 3 s", target);
        }
    }

    /** The attempt in progress, or a new one when the last failed {@link #CONNECT_RETRY} ago or more. */
    private synchronized CompletableFuture<Open> connecting() {
        long now = System.nanoTime();
        if (attempt == null || attempt.isCompletedExceptionally() && now - attemptStarted >= CONNECT_RETRY.toNanos()) {
            attemptStarted = now;
            attempt = connector.get().thenApply(this::opened);
        }
        return attempt;
    }

    private Open opened(Open connection) {
        synchronized (this) {
            if (closed) {
                connection.connection().close();
                throw new IllegalStateException("the Redis cache was closed while connecting");
            }
        }
        open = connection;
        log.debug("Redis {} connected", target);
        return connection;
    }

    /**
     * Lettuce opens a Cluster node's connection at its first command, and refuses the commands sent while it opens
     * (REJECT_COMMANDS): open them all first, so the first keys of each node are not misses. A node that does not
     * answer now is connected later, by its first command.
     */
    private static CompletableFuture<Open> withEveryNode(StatefulRedisClusterConnection<String, String> cluster) {
        CompletableFuture<?>[] nodes = cluster.getPartitions().stream()
                // by address, not node id: commands routed by slot take the connection kept under the address
                .map(node -> cluster.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
                        .toCompletableFuture()
                        .exceptionally(unreachable -> null))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(nodes).thenApply(all -> new Open(cluster, cluster.async()));
    }

    @SuppressWarnings("unchecked")
    private Optional<StatefulRedisClusterConnection<String, String>> cluster() {
        Open ready = open;
        return ready != null && ready.connection() instanceof StatefulRedisClusterConnection<?, ?> c
                ? Optional.of((StatefulRedisClusterConnection<String, String>) c) : Optional.empty();
    }

    private static String name(RedisClusterNode node) {
        return node == null ? "unknown" : node.getUri().getHost() + ":" + node.getUri().getPort();
    }
}
