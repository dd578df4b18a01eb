package org.parley.snapshot;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.parley.data.Databases;
import org.parley.data.Ids;
import org.parley.outbox.Courier;
import org.parley.outbox.DeliveryFailure;
import org.parley.web.Languages;
import software.amazon.awssdk.core.exception.SdkException;

import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

import static org.parley.db.shard.Tables.THREAD;

/**
 * Delivers the outbox's {@value SnapshotRemovals#KIND} rows: deletes the thread's snapshot in every language, then
 * clears the thread's {@code snapshot_version} — only if it still names the snapshot removed, so a newer snapshot
 * published meanwhile (the thread went cold again) is not forgotten. A bucket that cannot be reached is tried
 * again with the outbox's backoff; until then the CDN's readers see the snapshot, not the write.
 */
public final class SnapshotCourier implements Courier {
    private final SnapshotStore store;
    private final SnapshotNames names;
    private final SiteNames sites;
    private final Databases databases;

    /** A site's name by its id; empty when the site is gone. */
    public interface SiteNames {
        Optional<String> of(long siteId);
    }

    public SnapshotCourier(SnapshotStore store, SnapshotNames names, SiteNames sites, Databases databases) {
        this.store = store;
        this.names = names;
        this.sites = sites;
        this.databases = databases;
    }

    @Override
    public String kind() {
        return SnapshotRemovals.KIND;
    }

    @Override
    public Delivered deliver(String payload) throws DeliveryFailure {
        long threadId;
        long siteId;
        long snapshot;
        String key;
        try {
            Map<String, Object> removal = JSONObjectUtils.parse(payload);
            threadId = ((Number) removal.get("thread")).longValue();
            siteId = ((Number) removal.get("site")).longValue();
            snapshot = ((Number) removal.get("snapshot")).longValue();
            key = (String) removal.get("key");
        } catch (ParseException | ClassCastException | NullPointerException e) {
            throw DeliveryFailure.permanent("not a snapshot removal: " + e.getMessage(), e);
        }
        Optional<String> site = sites.of(siteId);
        if (site.isPresent()) {
            try {
                for (String language : Languages.SUPPORTED) {
                    store.delete(names.object(site.get(), key, language));
                }
            } catch (SdkException e) {
                throw DeliveryFailure.temporary("the bucket did not delete the snapshot: " + e.getMessage(), e);
            }
        }
        databases.write(Ids.shardOf(threadId)).update(THREAD)
                .setNull(THREAD.SNAPSHOT_VERSION)
                .where(THREAD.ID.eq(threadId)).and(THREAD.SNAPSHOT_VERSION.eq(snapshot))
                .execute();
        return site.isPresent() ? Delivered.SENT : Delivered.dropped("the site is gone");
    }
}
