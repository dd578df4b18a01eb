package org.parley.cache;

import net.rubyeye.xmemcached.GetsResponse;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.TextCommandFactory;
import net.rubyeye.xmemcached.exception.MemcachedException;
import net.rubyeye.xmemcached.impl.ArrayMemcachedSessionLocator;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;
import net.rubyeye.xmemcached.transcoders.StringTranscoder;
import org.parley.config.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Memcached over one or more nodes (xmemcached, text protocol, ketama consistent hashing: adding or losing a
 * node moves only that node's share of the keys).
 *
 * <p>Every call waits at most {@link #OP_TIMEOUT}, and none throws: a timeout, a refused or lost connection or a
 * server error is counted ({@code parley.cache.errors}) and answered like a miss. {@link Outages} decides when
 * failures mean "down" (several in a row, not one slow answer) and logs that once per episode; while down, calls
 * skip Memcached except one probe a second, so a hung server costs a few timeouts, not one per call. xmemcached reconnects by itself, first after
 * {@link #RECONNECT_INTERVAL}, then backing off linearly (interval × attempts) while a node stays down.
 *
 * <p>Starting never fails for a node that is down: the client schedules a reconnect and Parley starts on its
 * database. A node that does not answer the connect at all (a black hole) delays start by
 * {@link #CONNECT_TIMEOUT}.
 */
public final class MemcachedCache implements Cache {
    /**
     * A Memcached on the same network answers in well under a millisecond, but a loaded host (a GC pause, every
     * core busy) can delay an answer by tens of milliseconds: 50 ms made a healthy Memcached look down there.
     * 250 ms is a stall; the failure detector ({@link Outages}) stops asking after a few in a row. The default of
     * PARLEY_MEMCACHED_TIMEOUT_MS.
     */
    public static final Duration OP_TIMEOUT = Duration.ofMillis(250);
    public static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    public static final Duration RECONNECT_INTERVAL = Duration.ofSeconds(1);
    /** xmemcached pipelines requests on one connection; more per node only adds sockets (its docs agree). */
    private static final int CONNECTIONS_PER_NODE = 1;
    /**
     * Rounds of gets/cas one {@link #raise} tries. Each lost round means another client stored a number in between;
     * on one thread that needs many writers finishing within the same millisecond.
     */
    private static final int RAISE_ROUNDS = 8;
    private static final Logger log = LoggerFactory.getLogger(MemcachedCache.class);

    private final MemcachedClient client;
    private final List<CacheNode> nodes;
    private final long timeoutMillis;
    private final CacheMetrics metrics;
    private final Outages outages;

    private MemcachedCache(MemcachedClient client, List<CacheNode> nodes, Duration opTimeout, CacheMetrics metrics) {
        this.client = client;
        this.nodes = nodes;
        this.timeoutMillis = opTimeout.toMillis();
        this.metrics = metrics;
        this.outages = new Outages(log, "Memcached " + nodes, System::nanoTime);
    }

    public static MemcachedCache connect(List<CacheNode> nodes, CacheMetrics metrics) {
        return connect(nodes, OP_TIMEOUT, metrics);
    }

    /** @throws StartupException only for a client that cannot be built at all, never for a node that is down */
    public static MemcachedCache connect(List<CacheNode> nodes, Duration opTimeout, CacheMetrics metrics) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("Memcached needs at least one node");
        }
        List<InetSocketAddress> addresses = nodes.stream()
                .map(node -> new InetSocketAddress(node.host(), node.port()))
                .toList();
        var builder = new XMemcachedClientBuilder(addresses);
        builder.setName("parley-memcached");
        builder.setCommandFactory(new TextCommandFactory());
        // Ketama keeps most keys on their node when nodes come and go; with one node there is nothing to place, and its
        // MD5 of every key was a few percent of a cached page's CPU (issue 18). The array locator's String hash
        // modulo one costs next to nothing; the connection within the node's pool is picked as before
        builder.setSessionLocator(nodes.size() == 1 ? new ArrayMemcachedSessionLocator()
                : new KetamaMemcachedSessionLocator());
        builder.setConnectionPoolSize(CONNECTIONS_PER_NODE);
        builder.setOpTimeout(opTimeout.toMillis());
        builder.setConnectTimeout(CONNECT_TIMEOUT.toMillis());
        builder.setHealSessionInterval(RECONNECT_INTERVAL.toMillis());
        builder.setFailureMode(false); // a dead node's keys move to the live ones instead of failing
        builder.setTranscoder(new StringTranscoder(StandardCharsets.UTF_8.name()));
        try {
            MemcachedClient client = builder.build();
            log.info("Memcached client for {} (operation timeout {} ms)", nodes, opTimeout.toMillis());
            return new MemcachedCache(client, List.copyOf(nodes), opTimeout, metrics);
        } catch (IOException e) {
            throw new StartupException("The Memcached client for " + nodes + " could not be created: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> get(String key) {
        if (!outages.allow()) {
            return skipped(1);
        }
        try {
            String value = client.get(key, timeoutMillis);
            succeeded();
            metrics.lookedUp(value != null);
            return Optional.ofNullable(value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed("get", e);
        } catch (TimeoutException | MemcachedException | RuntimeException e) {
            failed("get", e);
        }
        metrics.found(0, 1);
        return Optional.empty();
    }

    @Override
    public Map<String, String> getMulti(Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        if (!outages.allow()) {
            skipped(keys.size());
            return Map.of();
        }
        try {
            Map<String, String> found = client.get(keys, timeoutMillis);
            succeeded();
            found = found == null ? Map.of() : found;
            metrics.found(found.size(), keys.size() - found.size());
            return found;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed("get-multi", e);
        } catch (TimeoutException | MemcachedException | RuntimeException e) {
            failed("get-multi", e);
        }
        metrics.found(0, keys.size());
        return Map.of();
    }

    @Override
    public void set(String key, String value, Duration ttl) {
        int seconds = Cache.ttlSeconds(ttl);
        if (tooLarge(value)) {
            delete(key); // as Memcached does on a refused set: no stale value stays behind
            return;
        }
        if (!outages.allow()) {
            metrics.errors().inc();
            return;
        }
        try {
            client.set(key, seconds, value, timeoutMillis);
            succeeded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed("set", e);
        } catch (TimeoutException | MemcachedException | RuntimeException e) {
            failed("set", e);
        }
    }

    @Override
    public boolean add(String key, String value, Duration ttl) {
        int seconds = Cache.ttlSeconds(ttl);
        if (tooLarge(value)) {
            return false;
        }
        if (!outages.allow()) {
            metrics.errors().inc();
            return true; // a lease the cache cannot record is granted: see Cache#add
        }
        try {
            boolean stored = client.add(key, seconds, value, timeoutMillis);
            succeeded();
            return stored;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed("add", e);
        } catch (TimeoutException | MemcachedException | RuntimeException e) {
            failed("add", e);
        }
        return true; // a lease the cache cannot record is granted: see Cache#add
    }

    @Override
    public void raise(String key, long number, Duration ttl) {
        int seconds = Cache.ttlSeconds(ttl);
        String value = Long.toString(number);
        try {
            for (int round = 0; round < RAISE_ROUNDS; round++) {
                GetsResponse<String> held = client.gets(key, timeoutMillis);
                // absent: add, which fails if another client created it meanwhile; present: cas, which fails if
                // anyone changed it since our gets. Either way the next round compares with what is there now.
                boolean done = held == null ? client.add(key, seconds, value, timeoutMillis)
                        : LocalCache.atLeast(held.getValue(), number)
                        || client.cas(key, seconds, value, timeoutMillis, held.getCas());
                if (done) {
                    succeeded();
                    return;
                }
            }
            succeeded(); // the server answered every time: others kept raising it, each to a newer number
            log.debug("raise {} to {}: still contended after {} rounds", key, number, RAISE_ROUNDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed("raise", e);
        } catch (TimeoutException | MemcachedException | RuntimeException e) {
            failed("raise", e);
        }
    }

    @Override
    public void delete(String key) {
        if (!outages.allow()) {
            metrics.errors().inc();
            return;
        }
        try {
            client.delete(key, timeoutMillis);
            succeeded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed("delete", e);
        } catch (TimeoutException | MemcachedException | RuntimeException e) {
            failed("delete", e);
        }
    }

    @Override
    public long incr(String key, Duration ttl) {
        int seconds = Cache.ttlSeconds(ttl);
        if (!outages.allow()) {
            metrics.errors().inc();
            return NOT_COUNTED;
        }
        try {
            // text protocol: incr, and on NOT_FOUND add "1" with the TTL (retrying the incr if another won the add)
            long value = client.incr(key, 1, 1, timeoutMillis, seconds);
            succeeded();
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed("incr", e);
        } catch (TimeoutException | MemcachedException | RuntimeException e) {
            failed("incr", e);
        }
        return NOT_COUNTED;
    }

    /** True while an outage episode is open (for health reporting and tests). */
    public boolean failing() {
        return outages.failing();
    }

    public List<CacheNode> nodes() {
        return nodes;
    }

    @Override
    public void close() {
        try {
            client.shutdown();
        } catch (IOException e) {
            log.warn("Closing the Memcached client for {} failed: {}", nodes, e.toString());
        }
    }

    @Override
    public String toString() {
        return "MemcachedCache" + nodes;
    }

    /** A call not made because the cache is down: a miss, counted as an error like a failed call. */
    private Optional<String> skipped(int keys) {
        metrics.errors().inc();
        metrics.found(0, keys);
        return Optional.empty();
    }

    private void succeeded() {
        outages.succeeded();
    }

    private void failed(String operation, Exception e) {
        metrics.errors().inc();
        outages.failed(operation, e);
    }

    static boolean tooLarge(String value) {
        return value.length() > MAX_VALUE_BYTES / 3 && value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES;
    }
}
