package org.parley.cache;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Redis as the shared cache (Lettuce): one server, a master found through Sentinel, or a Redis Cluster, as
 * {@link RedisTarget} reads PARLEY_REDIS_URL. The same contract as {@link MemcachedCache}, kept the same way.
 *
 * <p>Every call waits at most the operation timeout and none throws: a timeout, a refused or lost connection or
 * a server error is counted ({@code parley.cache.errors}) and answered like a miss; {@link Outages} decides when
 * failures mean "down" and logs that once per episode. {@link RedisConnection} connects (holding start-up at most
 * 500 ms, as Memcached's client does) and reconnects by itself.
 *
 * <p>In a Cluster each master has its own failure detector: a master that is gone (no replica to take its slots)
 * keeps failing for its own keys, and with one detector for all it would trip again and again and make the healthy
 * masters' keys miss too. A multi-get is sent to every master at once and keeps what the healthy ones answer.
 *
 * <p>{@code incr} and {@code raise} are Lua scripts, so each is one atomic step on the server where Memcached
 * needs an incr and an add or rounds of {@code gets}/{@code cas}; in a Cluster a script's one key picks its node.
 */
public final class RedisCache implements Cache {
    /** As Memcached's, and for the same reasons: the default of PARLEY_REDIS_TIMEOUT_MS. */
    public static final Duration OP_TIMEOUT = MemcachedCache.OP_TIMEOUT;
    private static final Logger log = LoggerFactory.getLogger(RedisCache.class);

    /**
     * KEYS[1] one more, created at 1 with the TTL ARGV[1] (seconds), which later increments leave alone; 0
     * ({@link #NOT_COUNTED}) when the value is not a counter: pcall makes INCR's error an answer, not a failure.
     */
    private static final String INCR = """
            local n = redis.pcall('INCR', KEYS[1])
            if type(n) == 'table' then return 0 end
            if redis.call('TTL', KEYS[1]) == -1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            return n
            """;
    /**
     * KEYS[1] := ARGV[1] with the TTL ARGV[2], unless it holds a number at least as large (read as
     * LocalCache.atLeast reads one). Lua compares doubles: exact up to 2^53, far beyond any thread version.
     */
    private static final String RAISE = """
            local held = redis.call('GET', KEYS[1])
            if held then
              local digits = string.match(held, '^%s*(-?%d+)%s*$')
              if digits and tonumber(digits) >= tonumber(ARGV[1]) then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
            return 1
            """;

    private final RedisTarget target;
    private final RedisConnection connection;
    private final long timeoutNanos;
    private final CacheMetrics metrics;
    /** One server's, or a Cluster's until its topology is known (the first connection). */
    private final Outages outages;
    private final Map<String, Outages> nodeOutages = new ConcurrentHashMap<>(); // a Cluster's, by master

    private RedisCache(RedisTarget target, RedisConnection connection, Duration opTimeout, CacheMetrics metrics) {
        this.target = target;
        this.connection = connection;
        this.timeoutNanos = opTimeout.toNanos();
        this.metrics = metrics;
        this.outages = new Outages(log, "Redis " + target, System::nanoTime);
    }

    public static RedisCache connect(RedisTarget target, CacheMetrics metrics) {
        return connect(target, OP_TIMEOUT, metrics);
    }

    /**
     * Never fails for Redis being down: the first connection is awaited at most {@link RedisConnection#CONNECT_TIMEOUT}
     * (as Memcached's at start), then goes on in the background.
     */
    public static RedisCache connect(RedisTarget target, Duration opTimeout, CacheMetrics metrics) {
        RedisConnection connection = RedisConnection.open(target, opTimeout);
        boolean ready = connection.awaitOpen(RedisConnection.CONNECT_TIMEOUT);
        log.info("Redis client for {} ({}, operation timeout {} ms){}", target, target.kind().name().toLowerCase(),
                opTimeout.toMillis(), ready ? "" : ": not connected yet, pages read PostgreSQL until it is");
        return new RedisCache(target, connection, opTimeout, metrics);
    }

    @Override
    public Optional<String> get(String key) {
        String value = run(detector(key), "get", null, redis -> redis.get(key));
        metrics.lookedUp(value != null);
        return Optional.ofNullable(value);
    }

    @Override
    public Map<String, String> getMulti(Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Map<Outages, List<String>> byNode = new LinkedHashMap<>();
        for (String key : keys) {
            byNode.computeIfAbsent(detector(key), d -> new ArrayList<>()).add(key);
        }
        // every node's share is sent before any answer is awaited: the nodes answer side by side
        long deadline = System.nanoTime() + timeoutNanos;
        Map<Outages, RedisFuture<List<KeyValue<String, String>>>> sent = new LinkedHashMap<>();
        byNode.forEach((detector, share) -> sent.put(detector,
                send(detector, "get-multi", deadline, redis -> redis.mget(share.toArray(String[]::new)))));
        Map<String, String> found = new LinkedHashMap<>();
        sent.forEach((detector, reply) -> {
            for (KeyValue<String, String> kv : await(detector, "get-multi", deadline, reply, List.of())) {
                if (kv.hasValue()) {
                    found.put(kv.getKey(), kv.getValue());
                }
            }
        });
        metrics.found(found.size(), keys.size() - found.size());
        return found;
    }

    @Override
    public void set(String key, String value, Duration ttl) {
        int seconds = Cache.ttlSeconds(ttl);
        if (MemcachedCache.tooLarge(value)) { // the same limit: both caches keep the same values
            delete(key); // as Memcached does on a refused set: no stale value stays behind
            return;
        }
        run(detector(key), "set", null, redis -> redis.set(key, value, SetArgs.Builder.ex(seconds)));
    }

    @Override
    public boolean add(String key, String value, Duration ttl) {
        int seconds = Cache.ttlSeconds(ttl);
        if (MemcachedCache.tooLarge(value)) {
            return false;
        }
        // "OK" when stored, null when the key was there; a lease the cache cannot record is granted (Cache#add)
        return run(detector(key), "add", "OK", redis -> redis.set(key, value, SetArgs.Builder.nx().ex(seconds))) != null;
    }

    @Override
    public void raise(String key, long number, Duration ttl) {
        String seconds = Integer.toString(Cache.ttlSeconds(ttl));
        run(detector(key), "raise", 0L, redis -> redis.<Long>eval(RAISE, ScriptOutputType.INTEGER, new String[]{key},
                Long.toString(number), seconds));
    }

    @Override
    public void delete(String key) {
        run(detector(key), "delete", 0L, redis -> redis.del(key));
    }

    @Override
    public long incr(String key, Duration ttl) {
        String seconds = Integer.toString(Cache.ttlSeconds(ttl));
        Long value = run(detector(key), "incr", NOT_COUNTED, redis -> redis.<Long>eval(INCR, ScriptOutputType.INTEGER,
                new String[]{key}, seconds));
        return value == null ? NOT_COUNTED : value;
    }

    /** True while an outage episode is open: of the server, or of any master of the Cluster (for tests, health). */
    public boolean failing() {
        return outages.failing() || connection.nodes().stream()
                .map(nodeOutages::get)
                .anyMatch(detector -> detector != null && detector.failing());
    }

    /** Whether the first connection was made (tests wait for it rather than count its misses). */
    boolean connected() {
        return connection.opened();
    }

    public RedisTarget target() {
        return target;
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "RedisCache[" + target + "]";
    }

    /** The failure detector that key's calls answer to: its master's in a Cluster, else the one. */
    private Outages detector(String key) {
        if (target.kind() != RedisTarget.Kind.CLUSTER || !connection.opened()) {
            return outages;
        }
        outages.succeeded(); // the Cluster answered its first connection: an episode from before it is over
        return connection.nodeOf(key)
                .map(node -> nodeOutages.computeIfAbsent(node, n -> new Outages(log, "Redis Cluster master " + n
                        + " of " + target, System::nanoTime)))
                .orElse(outages);
    }

    /** One command within the timeout (the wait for a first connection included); {@code onFailure} if it fails. */
    private <T> T run(Outages detector, String operation, T onFailure,
                      Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        long deadline = System.nanoTime() + timeoutNanos;
        return await(detector, operation, deadline, send(detector, operation, deadline, command), onFailure);
    }

    /** The command sent, or null when the detector skipped it or it could not be sent (counted as failed). */
    private <T> RedisFuture<T> send(Outages detector, String operation, long deadline,
                                    Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        if (!detector.allow()) {
            metrics.errors().inc(); // a call the cache did not serve
            return null;
        }
        try {
            return command.apply(connection.commands(deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(detector, operation, e);
        } catch (ExecutionException e) { // the first connection failed
            failed(detector, operation, e.getCause() instanceof Exception cause ? cause : e);
        } catch (Exception e) { // no first connection in time, or refused at once: not connected
            failed(detector, operation, e);
        }
        return null;
    }

    /** The reply by the deadline, or {@code onFailure}: timeouts, lost connections and server errors are misses. */
    private <T> T await(Outages detector, String operation, long deadline, RedisFuture<T> sent, T onFailure) {
        if (sent == null) {
            return onFailure;
        }
        try {
            T reply = LettuceFutures.awaitOrCancel(sent, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            detector.succeeded();
            return reply;
        } catch (RuntimeException e) {
            failed(detector, operation, e);
            return onFailure;
        }
    }

    private void failed(Outages detector, String operation, Exception e) {
        metrics.errors().inc();
        detector.failed(operation, e);
    }
}
