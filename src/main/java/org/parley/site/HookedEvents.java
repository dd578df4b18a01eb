package org.parley.site;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.parley.cache.Cache;
import org.parley.cache.ObjectCache;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.parley.db.main.Tables.WEBHOOK;

/**
 * Which events any of a site's webhooks want, asked by every write before it records an event: a site without
 * webhooks (most) costs its writes nothing but this cached lookup. Cached like the site itself; the console
 * {@link #invalidate}s after changing a hook, so every instance sees the change at its next write.
 */
public final class HookedEvents {
    /** Asks nobody and wants nothing: for tools and tests that write comments without webhooks. */
    public static final HookedEvents NONE = new HookedEvents(null, null);

    private final DSLContext main;
    private final ObjectCache<Set<EventType>> cache;

    public HookedEvents(DSLContext main, Cache cache) {
        this.main = main;
        this.cache = cache == null ? null : new ObjectCache<>(cache, "site-hooked-events", 1,
                SiteRepository.CACHE_TTL, HookedEvents::encode, HookedEvents::decode);
    }

    public boolean wants(long siteId, EventType event) {
        return wanted(siteId).contains(event);
    }

    /** Every event some hook of the site wants (none without a cache: tools and tests). */
    public Set<EventType> wanted(long siteId) {
        return cache == null ? Set.of() : cache.get(siteId, () -> Optional.of(load(siteId))).orElseThrow();
    }

    /**
     * Whether a hook wants {@code event}, from the cache only: empty when the site's answer is not cached. For a
     * write's transaction, which must not wait for a second connection to read main while it holds its row locks
     * (behind PgBouncer in transaction mode every server connection can end up held that way: a deadlock).
     */
    public Optional<Boolean> wantsIfKnown(long siteId, EventType event) {
        return cache == null ? Optional.of(false) : cache.get(siteId, Optional::empty).map(wanted -> wanted.contains(event));
    }

    public void invalidate(long siteId) {
        if (cache != null) {
            cache.invalidate(siteId);
        }
    }

    private Set<EventType> load(long siteId) {
        Set<EventType> wanted = EnumSet.noneOf(EventType.class);
        main.selectDistinct(DSL.field("unnest({0})", String.class, WEBHOOK.EVENTS))
                .from(WEBHOOK)
                .where(WEBHOOK.SITE_ID.eq(siteId))
                .fetch(0, String.class)
                .forEach(name -> EventType.of(name).ifPresent(wanted::add));
        return wanted;
    }

    private static String encode(Set<EventType> events) {
        return events.stream().map(EventType::wireName).collect(Collectors.joining(" "));
    }

    private static Set<EventType> decode(String text) {
        Set<EventType> events = EnumSet.noneOf(EventType.class);
        Arrays.stream(text.split(" ")).map(EventType::of).flatMap(Optional::stream).forEach(events::add);
        return events;
    }
}
