package org.parley.edge;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.parley.outbox.Courier;
import org.parley.outbox.DeliveryFailure;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers the outbox's {@value EdgePurges#KIND} rows through the configured {@link EdgePurge}: the outbox claims
 * them from any instance, retries failures with its backoff and dead-letters them after the last try. Until a purge
 * gets through, guests see the page as it was before the write (the edge keeps it up to PARLEY_EDGE_TTL_SECONDS).
 *
 * <p>Before it purges, it raises the thread's version in the cache to the one the write gave it: the edge asks
 * Parley again right after the purge, and Parley serves a stored page by the version the cache names. The writer
 * raised it after its commit already, but that call may have been lost (Memcached briefly away); then Parley would
 * hand the edge the page of the version before, and the edge would keep it for a day. Raising is only ever forward,
 * so an older purge arriving late cannot undo a newer write.
 */
public final class PurgeCourier implements Courier {
    private final EdgePurge edge;
    /** (thread id, version) → the cache raised to it (discussion.ThreadVersions#written) */
    private final Written written;
    /** the thread's addresses, only for an edge without surrogate keys */
    private final Addresses addresses;

    /** What the courier tells the page cache before it purges: a thread's version after a committed write. */
    public interface Written {
        void written(long threadId, long version);
    }

    /**
     * Every address a guest's copy of a thread can be kept under, as path wildcards (the wiring knows the routes:
     * this package sits below the features); empty when the site is gone.
     */
    public interface Addresses {
        Optional<List<String>> of(long siteId, String threadKey);
    }

    public PurgeCourier(EdgePurge edge, Addresses addresses, Written written) {
        this.edge = edge;
        this.written = written;
        this.addresses = addresses;
    }

    @Override
    public String kind() {
        return EdgePurges.KIND;
    }

    @Override
    public Delivered deliver(String payload) throws DeliveryFailure {
        long threadId;
        long siteId;
        long version;
        String key;
        try {
            Map<String, Object> purge = JSONObjectUtils.parse(payload);
            threadId = ((Number) purge.get("thread")).longValue();
            siteId = ((Number) purge.get("site")).longValue();
            version = ((Number) purge.get("version")).longValue();
            key = (String) purge.get("key");
        } catch (ParseException | ClassCastException | NullPointerException e) {
            throw DeliveryFailure.permanent("not an edge purge: " + e.getMessage(), e);
        }
        List<String> paths = List.of();
        if (edge.needsPaths()) {
            Optional<List<String>> found = addresses.of(siteId, key);
            if (found.isEmpty()) {
                return Delivered.dropped("the site is gone");
            }
            paths = found.get();
        }
        written.written(threadId, version);
        edge.purge(new EdgePurge.Target(threadId, siteId, paths));
        return Delivered.SENT;
    }
}
