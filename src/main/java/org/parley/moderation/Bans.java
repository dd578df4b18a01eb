package org.parley.moderation;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.parley.data.RenderedOnce;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.parley.data.RenderedOnce.slot;
import static org.parley.db.main.Tables.ACCOUNT;
import static org.parley.db.main.Tables.BAN;

/**
 * The SQL of per-site bans (main schema). The posting check is one statement over the three kinds; the IP kind
 * is matched by PostgreSQL's own {@code cidr >>= inet}, and a range is validated and canonicalised by
 * PostgreSQL too, so what we accept is exactly what the check can match.
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

    /**
     * The ban that applies to an author now, if any: a refusing ban wins over a shadow ban, so an author under
     * both is told rather than silently hidden.
     */
    public Optional<Ban> matching(long siteId, Long accountId, String email, String ip) {
        List<Object> values = new ArrayList<>(List.of(siteId, "account"));
        if (accountId != null) {
            values.add(accountId.toString());
        }
        if (email != null) {
            values.addAll(List.of("email", email.toLowerCase(Locale.ROOT)));
        }
        if (ip != null) {
            values.add(ip);
        }
        values.add(1);
        int shape = (accountId != null ? 1 : 0) | (email != null ? 2 : 0) | (ip != null ? 4 : 0);
        return MATCHING.get(shape).fetchOptional(main, values.toArray())
                .map(r -> new Ban(r.get(BAN.ID), r.get(BAN.SITE_ID), r.get(BAN.KIND), r.get(BAN.VALUE),
                        r.get(BAN.REASON), r.get(BAN.EXPIRES_AT), r.get(BAN.SHADOW), null, r.get(BAN.CREATED_AT)));
    }

    /**
     * The posting check's statement, one shape per combination of what is known of the author (bit 1: an account,
     * 2: an email, 4: an address); on every post, so each is rendered once (RenderedOnce). Values, in order: the
     * site, "account", [the account id], ["email", the email], [the address], the limit 1.
     */
    private static final List<RenderedOnce<Record>> MATCHING = java.util.stream.IntStream.range(0, 8)
            .mapToObj(shape -> RenderedOnce.<Record>query("Bans.matching#" + shape, () -> matchingShape(shape)))
            .toList();

    private static ResultQuery<? extends Record> matchingShape(int shape) {
        Condition who = BAN.KIND.eq(slot(BAN.KIND))
                .and((shape & 1) == 0 ? DSL.falseCondition() : BAN.VALUE.eq(slot(BAN.VALUE)));
        if ((shape & 2) != 0) {
            who = who.or(BAN.KIND.eq(slot(BAN.KIND)).and(BAN.VALUE.eq(slot(BAN.VALUE))));
        }
        if ((shape & 4) != 0) {
            // CASE keeps the cast away from account and email rows, whatever order the planner picks
            who = who.or(DSL.condition("CASE WHEN {0} = 'ip' THEN {1}::cidr >>= {2}::inet ELSE false END",
                    BAN.KIND, BAN.VALUE, slot(String.class)));
        }
        return DSL.select(BAN.ID, BAN.SITE_ID, BAN.KIND, BAN.VALUE, BAN.REASON, BAN.EXPIRES_AT, BAN.SHADOW,
                        DSL.inline((String) null).as("by"), BAN.CREATED_AT)
                .from(BAN)
                .where(BAN.SITE_ID.eq(slot(BAN.SITE_ID)))
                .and(BAN.EXPIRES_AT.isNull().or(BAN.EXPIRES_AT.gt(DSL.currentOffsetDateTime())))
                .and(who)
                .orderBy(BAN.SHADOW.asc(), BAN.ID.asc())
                .limit(slot(Integer.class));
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
