package org.parley.notify;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

import static org.parley.db.main.Tables.DIGEST_ITEM;
import static org.parley.db.main.Tables.SUBSCRIBER;

/**
 * The addresses notifications may go to (main.subscriber), keyed by the lower-cased address: confirmed by double
 * opt-in, switched off by unsubscribing. A member's verified account address needs no row to count as confirmed.
 */
public final class Subscribers {
    /** At most one confirmation mail per address in this time, however often the form names it. */
    public static final Duration CONFIRMATION_EVERY = Duration.ofDays(1);

    /** How reply notifications reach an address: each at once, or gathered into one mail an hour or a day. */
    public enum Digest {
        IMMEDIATELY(Duration.ZERO), HOURLY(Duration.ofHours(1)), DAILY(Duration.ofDays(1));

        private final Duration every;

        Digest(Duration every) {
            this.every = every;
        }

        public Duration every() {
            return every;
        }

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for anything but immediately, hourly or daily */
        public static Digest of(String text) {
            return valueOf(String.valueOf(text).toUpperCase(Locale.ROOT));
        }
    }

    public record Subscriber(String email, OffsetDateTime confirmedAt, OffsetDateTime repliesOffAt, Digest digest,
                             String language) {
        /** The language the address reads mails in; English when it is not known. */
        Locale locale() {
            return language == null ? Locale.ENGLISH : Locale.forLanguageTag(language);
        }

        boolean confirmed() {
            return confirmedAt != null;
        }

        boolean repliesOff() {
            return repliesOffAt != null;
        }
    }

    private final DSLContext main;

    public Subscribers(DSLContext main) {
        this.main = main;
    }

    public Optional<Subscriber> of(String email) {
        return main.select(SUBSCRIBER.EMAIL, SUBSCRIBER.CONFIRMED_AT, SUBSCRIBER.REPLIES_OFF_AT, SUBSCRIBER.DIGEST,
                        SUBSCRIBER.LANGUAGE)
                .from(SUBSCRIBER).where(SUBSCRIBER.EMAIL.eq(key(email)))
                .fetchOptional(r -> new Subscriber(r.value1(), r.value2(), r.value3(), Digest.of(r.value4()),
                        r.value5()));
    }

    /** How the address wants its reply notifications (at once when it has no row). */
    public Digest digestOf(String email) {
        return of(email).map(Subscriber::digest).orElse(Digest.IMMEDIATELY);
    }

    /** Chooses at once, hourly or daily for the address (a member's choice on their account page). */
    public void setDigest(String email, Digest digest, Locale language) {
        String tag = org.parley.account.AccountRepository.languageTag(language);
        main.insertInto(SUBSCRIBER, SUBSCRIBER.EMAIL, SUBSCRIBER.DIGEST, SUBSCRIBER.LANGUAGE)
                .values(key(email), digest.column(), tag)
                .onConflict(SUBSCRIBER.EMAIL).doUpdate()
                .set(SUBSCRIBER.DIGEST, digest.column())
                .set(SUBSCRIBER.LANGUAGE, tag)
                .execute();
    }

    /** Keeps a reply for the address's next digest (once, however often its notification is delivered). */
    void collect(String email, long replyId, long parentId) {
        main.insertInto(DIGEST_ITEM, DIGEST_ITEM.EMAIL, DIGEST_ITEM.REPLY_ID, DIGEST_ITEM.PARENT_ID)
                .values(key(email), replyId, parentId)
                .onConflictDoNothing()
                .execute();
    }

    /**
     * Whether to mail {@code email} a confirmation link now: not confirmed yet, and none sent in the last
     * {@link #CONFIRMATION_EVERY}. Records the sending in the same statement, so two deliveries at once send one.
     */
    boolean takeConfirmationTurn(String email) {
        return main.insertInto(SUBSCRIBER, SUBSCRIBER.EMAIL, SUBSCRIBER.CONFIRM_SENT_AT)
                .values(DSL.val(key(email)), DSL.currentOffsetDateTime())
                .onConflict(SUBSCRIBER.EMAIL)
                .doUpdate()
                .set(SUBSCRIBER.CONFIRM_SENT_AT, DSL.currentOffsetDateTime())
                .where(SUBSCRIBER.CONFIRMED_AT.isNull())
                .and(SUBSCRIBER.CONFIRM_SENT_AT.isNull().or(SUBSCRIBER.CONFIRM_SENT_AT.lt(
                        DSL.field("now() - make_interval(secs => {0})", OffsetDateTime.class,
                                DSL.val((double) CONFIRMATION_EVERY.toSeconds())))))
                .execute() == 1;
    }

    /**
     * The person followed the confirmation link: replies may be mailed (again, if they had unsubscribed), in the
     * language of the browser that opened it.
     */
    void confirm(String email, Locale language) {
        String tag = org.parley.account.AccountRepository.languageTag(language);
        main.insertInto(SUBSCRIBER, SUBSCRIBER.EMAIL, SUBSCRIBER.CONFIRMED_AT, SUBSCRIBER.LANGUAGE)
                .values(DSL.val(key(email)), DSL.currentOffsetDateTime(), DSL.val(tag))
                .onConflict(SUBSCRIBER.EMAIL)
                .doUpdate()
                .set(SUBSCRIBER.CONFIRMED_AT, DSL.coalesce(SUBSCRIBER.CONFIRMED_AT, DSL.currentOffsetDateTime()))
                .setNull(SUBSCRIBER.REPLIES_OFF_AT)
                .set(SUBSCRIBER.LANGUAGE, tag)
                .execute();
    }

    /** The language an address reads mails in (from its confirmation or its settings); English when not known. */
    public Locale languageOf(String email) {
        return of(email).map(Subscriber::locale).orElse(Locale.ENGLISH);
    }

    /** One-click unsubscribe: no reply is mailed to the address from now on, queued ones included. */
    void unsubscribe(String email) {
        main.insertInto(SUBSCRIBER, SUBSCRIBER.EMAIL, SUBSCRIBER.REPLIES_OFF_AT)
                .values(DSL.val(key(email)), DSL.currentOffsetDateTime())
                .onConflict(SUBSCRIBER.EMAIL)
                .doUpdate()
                .set(SUBSCRIBER.REPLIES_OFF_AT, DSL.coalesce(SUBSCRIBER.REPLIES_OFF_AT, DSL.currentOffsetDateTime()))
                .execute();
    }

    static String key(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
