package org.parley.site;

import org.jooq.DSLContext;
import org.jooq.Records;

import java.time.Duration;
import java.util.List;

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
        return main.select(SITE.ID, SITE.NAME, SITE.DISPLAY_NAME, SITE.GUESTS_ALLOWED, SITE.PREMODERATION,
                        SITE.EDIT_WINDOW_SECONDS, SITE.MAX_COMMENT_LENGTH, SITE.CLOSED)
                .from(SITE)
                .orderBy(SITE.NAME)
                .fetch(Records.mapping((id, name, display, guests, premod, editSeconds, maxLength, closed) ->
                        new Site(id, name, display, guests, premod, Duration.ofSeconds(editSeconds), maxLength, closed)));
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
