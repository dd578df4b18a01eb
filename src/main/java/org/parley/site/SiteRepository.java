package org.parley.site;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.parley.db.main.Tables.SITE;
import static org.parley.db.main.Tables.SITE_ORIGIN;

/** Sites live in the main schema: few rows, read often (and cached once caching lands). */
public final class SiteRepository {
    public static final String DEFAULT_NAME = "default";

    private final DSLContext main;

    public SiteRepository(DSLContext main) {
        this.main = main;
    }

    public List<Site> all() {
        return select().orderBy(SITE.NAME).fetch(SiteRepository::toSite);
    }

    public Optional<Site> byName(String name) {
        return select().where(SITE.NAME.eq(name)).fetchOptional(SiteRepository::toSite);
    }

    public Optional<Site> byId(long id) {
        return select().where(SITE.ID.eq(id)).fetchOptional(SiteRepository::toSite);
    }

    /** The origins allowed to embed this site's threads, e.g. https://blog.example.com. */
    public List<String> origins(long siteId) {
        return main.select(SITE_ORIGIN.ORIGIN)
                .from(SITE_ORIGIN)
                .where(SITE_ORIGIN.SITE_ID.eq(siteId))
                .orderBy(SITE_ORIGIN.ORIGIN)
                .fetch(SITE_ORIGIN.ORIGIN);
    }

    /** The site with its embed origins in one statement (array_agg), for the embed page. */
    public Optional<SiteWithOrigins> withOrigins(String name) {
        var origins = DSL.arrayAgg(SITE_ORIGIN.ORIGIN).filterWhere(SITE_ORIGIN.ORIGIN.isNotNull());
        return main.select(SITE.ID, SITE.NAME, SITE.DISPLAY_NAME, SITE.GUESTS_ALLOWED, SITE.PREMODERATION,
                        SITE.EDIT_WINDOW_SECONDS, SITE.MAX_COMMENT_LENGTH, SITE.CLOSED, origins)
                .from(SITE)
                .leftJoin(SITE_ORIGIN).on(SITE_ORIGIN.SITE_ID.eq(SITE.ID))
                .where(SITE.NAME.eq(name))
                .groupBy(SITE.ID)
                .fetchOptional(r -> new SiteWithOrigins(toSite(r),
                        r.get(origins) == null ? List.of() : List.of(r.get(origins))));
    }

    public record SiteWithOrigins(Site site, List<String> origins) {
    }

    private org.jooq.SelectJoinStep<org.jooq.Record8<Long, String, String, Boolean, Boolean, Integer, Integer, Boolean>> select() {
        return main.select(SITE.ID, SITE.NAME, SITE.DISPLAY_NAME, SITE.GUESTS_ALLOWED, SITE.PREMODERATION,
                        SITE.EDIT_WINDOW_SECONDS, SITE.MAX_COMMENT_LENGTH, SITE.CLOSED)
                .from(SITE);
    }

    private static Site toSite(org.jooq.Record r) {
        return new Site(r.get(SITE.ID), r.get(SITE.NAME), r.get(SITE.DISPLAY_NAME), r.get(SITE.GUESTS_ALLOWED),
                r.get(SITE.PREMODERATION), Duration.ofSeconds(r.get(SITE.EDIT_WINDOW_SECONDS)),
                r.get(SITE.MAX_COMMENT_LENGTH), r.get(SITE.CLOSED));
    }

    public boolean exists(String name) {
        return main.fetchExists(SITE, SITE.NAME.eq(name));
    }

    /** Creates a site with default settings and its allowed origins, in one transaction. */
    public long create(String name, String displayName, List<String> origins) {
        return main.transactionResult(tx -> {
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
    }
}
