package org.parley.site;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.parley.cache.Cache;
import org.parley.cache.NoCache;
import org.parley.cache.ObjectCache;
import org.parley.cache.TextRecord;
import org.parley.data.RenderedOnce;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.parley.db.main.Tables.SITE;
import static org.parley.db.main.Tables.SITE_ORIGIN;

/**
 * Sites live in the main schema: few rows, read on every page. Lookups by name, by id and with origins go through
 * the object cache for {@link #CACHE_TTL}; {@link #invalidate} after a change (a change made with SQL by hand
 * shows within the TTL). {@link #all} always reads the database.
 */
public final class SiteRepository {
    public static final String DEFAULT_NAME = "default";
    /** Short: site settings change rarely, and a minute is an acceptable delay for a hand-made change. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(60);
    /** Goes into the cache keys: bump it whenever encode's output changes. */
    private static final int CACHE_FORMAT = 2;
    private static final int SITE_FIELDS = 10;

    private final DSLContext main;
    private final ObjectCache<Site> byName;
    private final ObjectCache<Site> byId;
    private final ObjectCache<SiteWithOrigins> withOrigins;
    private final ObjectCache<CountWording> wording;

    /** Without a cache: every lookup reads the database (first run, tools, tests). */
    public SiteRepository(DSLContext main) {
        this(main, NoCache.INSTANCE);
    }

    public SiteRepository(DSLContext main, Cache cache) {
        this.main = main;
        this.byName = new ObjectCache<>(cache, "site-by-name", CACHE_FORMAT, CACHE_TTL, SiteRepository::encode,
                SiteRepository::decode);
        this.byId = new ObjectCache<>(cache, "site-by-id", CACHE_FORMAT, CACHE_TTL, SiteRepository::encode,
                SiteRepository::decode);
        this.withOrigins = new ObjectCache<>(cache, "site-origins", CACHE_FORMAT, CACHE_TTL,
                s -> TextRecord.of(encode(s.site()), s.origins()),
                text -> {
                    List<String> fields = TextRecord.parse(text, 2);
                    return new SiteWithOrigins(decode(fields.get(0)), TextRecord.parse(fields.get(1)));
                });
        // a field is "" for "the language's": the site's own wording is never blank
        this.wording = new ObjectCache<>(cache, "site-count-wording", CACHE_FORMAT, CACHE_TTL,
                w -> TextRecord.of(orEmpty(w.zero()), orEmpty(w.one()), orEmpty(w.many())),
                text -> {
                    List<String> f = TextRecord.parse(text, 3);
                    return new CountWording(emptyToNull(f.get(0)), emptyToNull(f.get(1)), emptyToNull(f.get(2)));
                });
    }

    /** The site's own count wording; a null form is the reader's language's. */
    public CountWording countWording(long siteId) {
        return wording.get(siteId, () -> main.select(SITE.COUNT_ZERO, SITE.COUNT_ONE, SITE.COUNT_MANY).from(SITE)
                        .where(SITE.ID.eq(siteId)).fetchOptional(r -> new CountWording(r.value1(), r.value2(), r.value3())))
                .orElse(new CountWording(null, null, null));
    }

    public void updateCountWording(Site site, CountWording w) {
        main.update(SITE).set(SITE.COUNT_ZERO, w.zero()).set(SITE.COUNT_ONE, w.one()).set(SITE.COUNT_MANY, w.many())
                .where(SITE.ID.eq(site.id())).execute();
        wording.invalidate(site.id());
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }

    public List<Site> all() {
        return select().orderBy(SITE.NAME).fetch(SiteRepository::toSite);
    }

    public Optional<Site> byName(String name) {
        return byName.get(name, () -> loadByName(name));
    }

    /** The cache key {@link #byName} reads first, for a caller that reads it together with other keys. */
    public String byNameKey(String name) {
        return byName.key(name);
    }

    /** {@link #byName} with the cache's answer for {@link #byNameKey} already read (empty: not there). */
    public Optional<Site> byName(String name, Optional<String> cached) {
        return byName.get(name, cached, () -> loadByName(name));
    }

    private Optional<Site> loadByName(String name) {
        return BY_NAME.fetchOptional(main, name).map(SiteRepository::toSite);
    }

    /**
     * The lookups every page view makes when the site is not in the cache (every view with PARLEY_CACHE=off),
     * rendered once (data.RenderedOnce): rendering them was a few percent of a cache-off page's CPU.
     */
    private static final RenderedOnce<org.jooq.Record> BY_NAME = RenderedOnce.query("SiteRepository.byName",
            () -> DSL.select(SITE.ID, SITE.NAME, SITE.DISPLAY_NAME, SITE.GUESTS_ALLOWED, SITE.PREMODERATION,
                            SITE.EDIT_WINDOW_SECONDS, SITE.MAX_COMMENT_LENGTH, SITE.CLOSED, SITE.GRAVATAR,
                            SITE.LANGUAGE)
                    .from(SITE)
                    .where(SITE.NAME.eq(RenderedOnce.slot(SITE.NAME))));
    private static final org.jooq.Field<String[]> ORIGINS = DSL.arrayAgg(SITE_ORIGIN.ORIGIN)
            .filterWhere(SITE_ORIGIN.ORIGIN.isNotNull());
    private static final RenderedOnce<org.jooq.Record> WITH_ORIGINS = RenderedOnce.query("SiteRepository.withOrigins",
            () -> DSL.select(SITE.ID, SITE.NAME, SITE.DISPLAY_NAME, SITE.GUESTS_ALLOWED, SITE.PREMODERATION,
                            SITE.EDIT_WINDOW_SECONDS, SITE.MAX_COMMENT_LENGTH, SITE.CLOSED, SITE.GRAVATAR,
                            SITE.LANGUAGE, ORIGINS)
                    .from(SITE)
                    .leftJoin(SITE_ORIGIN).on(SITE_ORIGIN.SITE_ID.eq(SITE.ID))
                    .where(SITE.NAME.eq(RenderedOnce.slot(SITE.NAME)))
                    .groupBy(SITE.ID));

    /** The site named {@code name} for a command: an unknown name is an exception naming the sites there are. */
    public Site named(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("There is no site named '" + name
                + "'; the sites are " + String.join(", ", all().stream().map(Site::name).toList()) + "."));
    }

    public Optional<Site> byId(long id) {
        return byId.get(id, () -> select().where(SITE.ID.eq(id)).fetchOptional(SiteRepository::toSite));
    }

    /** Forgets every cached form of site: call after a write that changes the site or its origins. */
    public void invalidate(Site site) {
        byName.invalidate(site.name());
        byId.invalidate(site.id());
        withOrigins.invalidate(site.name());
    }

    /** The origins allowed to embed this site's threads, e.g. https://blog.example.com. */
    public List<String> origins(long siteId) {
        return main.select(SITE_ORIGIN.ORIGIN)
                .from(SITE_ORIGIN)
                .where(SITE_ORIGIN.SITE_ID.eq(siteId))
                .orderBy(SITE_ORIGIN.ORIGIN)
                .fetch(SITE_ORIGIN.ORIGIN);
    }

    /** The origins of several sites in one statement, by site id (a site without any maps to an empty list). */
    public java.util.Map<Long, List<String>> origins(java.util.Collection<Long> siteIds) {
        java.util.Map<Long, List<String>> bySite = new java.util.HashMap<>();
        siteIds.forEach(id -> bySite.put(id, new java.util.ArrayList<>()));
        main.select(SITE_ORIGIN.SITE_ID, SITE_ORIGIN.ORIGIN)
                .from(SITE_ORIGIN)
                .where(SITE_ORIGIN.SITE_ID.in(siteIds))
                .orderBy(SITE_ORIGIN.ORIGIN)
                .forEach(r -> bySite.get(r.value1()).add(r.value2()));
        return bySite;
    }

    /** The site with its embed origins in one statement (array_agg), for the embed page. */
    public Optional<SiteWithOrigins> withOrigins(String name) {
        return withOrigins.get(name, () -> loadWithOrigins(name));
    }

    /** The cache key {@link #withOrigins} reads, for reading it together with other keys in one round trip. */
    public String withOriginsKey(String name) {
        return withOrigins.key(name);
    }

    /** {@link #withOrigins} with the cache's answer for {@link #withOriginsKey} already read (empty: not there). */
    public Optional<SiteWithOrigins> withOrigins(String name, Optional<String> cached) {
        return withOrigins.get(name, cached, () -> loadWithOrigins(name));
    }

    private Optional<SiteWithOrigins> loadWithOrigins(String name) {
        return WITH_ORIGINS.fetchOptional(main, name).map(r -> new SiteWithOrigins(toSite(r),
                r.get(ORIGINS) == null ? List.of() : List.of(r.get(ORIGINS))));
    }

    public record SiteWithOrigins(Site site, List<String> origins) {
        public SiteWithOrigins {
            origins = List.copyOf(origins);
        }
    }

    private static String encode(Site s) {
        return TextRecord.of(s.id(), s.name(), s.displayName(), s.guestsAllowed(), s.premoderation(),
                s.editWindow().toSeconds(), s.maxCommentLength(), s.closed(), s.gravatar(),
                s.language() == null ? "" : s.language());
    }

    private static Site decode(String text) {
        List<String> f = TextRecord.parse(text, SITE_FIELDS);
        return new Site(Long.parseLong(f.get(0)), f.get(1), f.get(2), TextRecord.bool(f.get(3)),
                TextRecord.bool(f.get(4)), Duration.ofSeconds(Long.parseLong(f.get(5))), Integer.parseInt(f.get(6)),
                TextRecord.bool(f.get(7)), TextRecord.bool(f.get(8)), f.get(9).isEmpty() ? null : f.get(9));
    }

    private org.jooq.SelectJoinStep<org.jooq.Record10<Long, String, String, Boolean, Boolean, Integer, Integer, Boolean,
            Boolean, String>> select() {
        return main.select(SITE.ID, SITE.NAME, SITE.DISPLAY_NAME, SITE.GUESTS_ALLOWED, SITE.PREMODERATION,
                        SITE.EDIT_WINDOW_SECONDS, SITE.MAX_COMMENT_LENGTH, SITE.CLOSED, SITE.GRAVATAR, SITE.LANGUAGE)
                .from(SITE);
    }

    private static Site toSite(org.jooq.Record r) {
        return new Site(r.get(SITE.ID), r.get(SITE.NAME), r.get(SITE.DISPLAY_NAME), r.get(SITE.GUESTS_ALLOWED),
                r.get(SITE.PREMODERATION), Duration.ofSeconds(r.get(SITE.EDIT_WINDOW_SECONDS)),
                r.get(SITE.MAX_COMMENT_LENGTH), r.get(SITE.CLOSED), r.get(SITE.GRAVATAR), r.get(SITE.LANGUAGE));
    }

    /** A site's editable settings with its origins, in one statement; empty when there is no such site. */
    public Optional<SiteSettings> settings(long id) {
        var origins = DSL.arrayAgg(SITE_ORIGIN.ORIGIN).orderBy(SITE_ORIGIN.ORIGIN).filterWhere(SITE_ORIGIN.ORIGIN.isNotNull());
        return main.select(SITE.DISPLAY_NAME, SITE.GUESTS_ALLOWED, SITE.PREMODERATION, SITE.EDIT_WINDOW_SECONDS,
                        SITE.MAX_COMMENT_LENGTH, SITE.CLOSED, SITE.FIRST_COMMENT_PENDING, SITE.MAX_LINKS, SITE.GRAVATAR,
                        SITE.LANGUAGE, origins)
                .from(SITE)
                .leftJoin(SITE_ORIGIN).on(SITE_ORIGIN.SITE_ID.eq(SITE.ID))
                .where(SITE.ID.eq(id))
                .groupBy(SITE.ID)
                .fetchOptional(r -> new SiteSettings(r.get(SITE.DISPLAY_NAME), r.get(SITE.GUESTS_ALLOWED),
                        r.get(SITE.PREMODERATION), Duration.ofSeconds(r.get(SITE.EDIT_WINDOW_SECONDS)),
                        r.get(SITE.MAX_COMMENT_LENGTH), r.get(SITE.CLOSED), r.get(SITE.FIRST_COMMENT_PENDING),
                        r.get(SITE.MAX_LINKS), r.get(origins) == null ? List.of() : List.of(r.get(origins)),
                        r.get(SITE.GRAVATAR), r.get(SITE.LANGUAGE)));
    }

    /**
     * Saves validated settings and replaces the origins in one transaction, then forgets every cached form of the
     * site, so the next page (on any instance sharing the cache) reads the new settings.
     */
    public void update(Site site, SiteSettings s) {
        main.transaction(tx -> {
            tx.dsl().update(SITE)
                    .set(SITE.DISPLAY_NAME, s.displayName())
                    .set(SITE.GUESTS_ALLOWED, s.guestsAllowed())
                    .set(SITE.PREMODERATION, s.premoderation())
                    .set(SITE.EDIT_WINDOW_SECONDS, (int) s.editWindow().toSeconds())
                    .set(SITE.MAX_COMMENT_LENGTH, s.maxCommentLength())
                    .set(SITE.CLOSED, s.closed())
                    .set(SITE.FIRST_COMMENT_PENDING, s.firstCommentPending())
                    .set(SITE.MAX_LINKS, s.maxLinks())
                    .set(SITE.GRAVATAR, s.gravatar())
                    .set(SITE.LANGUAGE, s.language())
                    .where(SITE.ID.eq(site.id()))
                    .execute();
            tx.dsl().deleteFrom(SITE_ORIGIN).where(SITE_ORIGIN.SITE_ID.eq(site.id())).execute();
            for (String origin : s.origins()) {
                tx.dsl().insertInto(SITE_ORIGIN, SITE_ORIGIN.SITE_ID, SITE_ORIGIN.ORIGIN).values(site.id(), origin).execute();
            }
        });
        invalidate(site);
    }

    public boolean exists(String name) {
        return main.fetchExists(SITE, SITE.NAME.eq(name));
    }

    /** Creates a site with default settings and its allowed origins, in one transaction. */
    public long create(String name, String displayName, List<String> origins) {
        long created = main.transactionResult(tx -> {
            long id = tx.dsl().insertInto(SITE, SITE.NAME, SITE.DISPLAY_NAME)
                    .values(name, displayName)
                    .returning(SITE.ID)
                    .fetchOne(SITE.ID);
            for (String origin : origins) {
                tx.dsl().insertInto(SITE_ORIGIN, SITE_ORIGIN.SITE_ID, SITE_ORIGIN.ORIGIN)
                        .values(id, origin)
                        .execute();
            }
            return id;
        });
        // nothing is cached for a name that did not exist; this only guards against a row deleted by hand
        byName.invalidate(name);
        withOrigins.invalidate(name);
        return created;
    }
}
