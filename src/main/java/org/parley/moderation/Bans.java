package org.parley.moderation;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.parley.db.main.Tables.ACCOUNT;
import static org.parley.db.main.Tables.BAN;

/**
 * The SQL of per-site bans (main schema), as the console keeps them. The posting check reads the ban that applies
 * with the rest of what a post is checked against ({@link PostingFacts}); a range is validated and canonicalised by
 * PostgreSQL here, so what we accept is exactly what that check can match.
 */
public final class Bans {
    /** The three kinds, as stored in {@code ban.kind}. */
    public static final List<String> KINDS = List.of("account", "email", "ip");

    /** A ban as the console lists it and as the posting check reports it. */
    public record Ban(long id, long siteId, String kind, String value, String reason, OffsetDateTime expiresAt,
                      boolean shadow, String createdByName, OffsetDateTime createdAt) {
    }

    /** A ban about to be saved, already validated. */
    public record NewBan(long siteId, String kind, String value, String reason, Integer days, boolean shadow) {
    }

    private final DSLContext main;

    public Bans(DSLContext main) {
        this.main = main;
    }

    /** The bans of these sites, newest first, expired ones included (they show as expired). */
    public List<Ban> list(Collection<Long> siteIds) {
        return main.select(BAN.ID, BAN.SITE_ID, BAN.KIND, BAN.VALUE, BAN.REASON, BAN.EXPIRES_AT, BAN.SHADOW,
                        ACCOUNT.DISPLAY_NAME, BAN.CREATED_AT)
                .from(BAN)
                .join(ACCOUNT).on(ACCOUNT.ID.eq(BAN.CREATED_BY))
                .where(BAN.SITE_ID.in(siteIds))
                .orderBy(BAN.ID.desc())
                .limit(200)
                .fetch(r -> new Ban(r.get(BAN.ID), r.get(BAN.SITE_ID), r.get(BAN.KIND), r.get(BAN.VALUE),
                        r.get(BAN.REASON), r.get(BAN.EXPIRES_AT), r.get(BAN.SHADOW), r.get(ACCOUNT.DISPLAY_NAME),
                        r.get(BAN.CREATED_AT)));
    }

    /**
     * Every ban on the site that names this author — their account, their email, or a range overlapping their
     * address — newest first, expired ones included (the author page shows them as expired).
     */
    public List<Ban> about(long siteId, Long accountId, String email, String cidr) {
        Condition who = DSL.falseCondition();
        if (accountId != null) {
            who = who.or(BAN.KIND.eq("account").and(BAN.VALUE.eq(accountId.toString())));
        }
        if (email != null) {
            who = who.or(BAN.KIND.eq("email").and(BAN.VALUE.eq(email.toLowerCase(Locale.ROOT))));
        }
        if (cidr != null) {
            who = who.or(DSL.condition("CASE WHEN {0} = 'ip' THEN {1}::cidr && {2}::cidr ELSE false END",
                    BAN.KIND, BAN.VALUE, DSL.val(cidr)));
        }
        return main.select(BAN.ID, BAN.SITE_ID, BAN.KIND, BAN.VALUE, BAN.REASON, BAN.EXPIRES_AT, BAN.SHADOW,
                        ACCOUNT.DISPLAY_NAME, BAN.CREATED_AT)
                .from(BAN)
                .join(ACCOUNT).on(ACCOUNT.ID.eq(BAN.CREATED_BY))
                .where(BAN.SITE_ID.eq(siteId))
                .and(who)
                .orderBy(BAN.ID.desc())
                .fetch(r -> new Ban(r.get(BAN.ID), r.get(BAN.SITE_ID), r.get(BAN.KIND), r.get(BAN.VALUE),
                        r.get(BAN.REASON), r.get(BAN.EXPIRES_AT), r.get(BAN.SHADOW), r.get(ACCOUNT.DISPLAY_NAME),
                        r.get(BAN.CREATED_AT)));
    }

    public long create(NewBan ban, long createdBy) {
        org.jooq.Field<OffsetDateTime> expires = ban.days() == null
                ? DSL.inline((OffsetDateTime) null)
                : DSL.field("now() + make_interval(days => {0})", OffsetDateTime.class, DSL.val(ban.days()));
        return main.insertInto(BAN)
                .set(BAN.SITE_ID, ban.siteId())
                .set(BAN.KIND, ban.kind())
                .set(BAN.VALUE, ban.value())
                .set(BAN.REASON, ban.reason())
                .set(BAN.EXPIRES_AT, expires)
                .set(BAN.SHADOW, ban.shadow())
                .set(BAN.CREATED_BY, createdBy)
                .returning(BAN.ID)
                .fetchOne(BAN.ID);
    }

    /** PostgreSQL's canonical form of a CIDR range ({@code 10.0.0.0/8}, {@code 192.0.2.7/32}), or empty if malformed. */
    public Optional<String> canonicalCidr(String text) {
        try {
            return Optional.ofNullable(main.select(DSL.field("{0}::cidr::text", String.class, DSL.val(text))).fetchOne(0, String.class));
        } catch (DataAccessException e) {
            // malformed input is an answer here, not a failure: the form says so beside the field
            return Optional.empty();
        }
    }

    /** The id of the account with this id or email, if it exists. */
    public Optional<Long> accountId(String idOrEmail) {
        Condition match = idOrEmail.chars().allMatch(Character::isDigit) && idOrEmail.length() < 19
                ? ACCOUNT.ID.eq(Long.parseLong(idOrEmail))
                : DSL.lower(ACCOUNT.EMAIL).eq(idOrEmail.toLowerCase(Locale.ROOT));
        return main.select(ACCOUNT.ID).from(ACCOUNT).where(match).fetchOptional(ACCOUNT.ID);
    }
}
