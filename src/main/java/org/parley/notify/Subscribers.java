package org.parley.notify;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

import static org.parley.db.main.Tables.SUBSCRIBER;

/**
 * The addresses notifications may go to (main.subscriber), keyed by the lower-cased address: confirmed by double
 * opt-in, switched off by unsubscribing. A member's verified account address needs no row to count as confirmed.
 */
public final class Subscribers {
    /** At most one confirmation mail per address in this time, however often the form names it. */
    public static final Duration CONFIRMATION_EVERY = Duration.ofDays(1);

    public record Subscriber(String email, OffsetDateTime confirmedAt, OffsetDateTime repliesOffAt) {
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
        return main.select(SUBSCRIBER.EMAIL, SUBSCRIBER.CONFIRMED_AT, SUBSCRIBER.REPLIES_OFF_AT)
                .from(SUBSCRIBER).where(SUBSCRIBER.EMAIL.eq(key(email)))
                .fetchOptional(r -> new Subscriber(r.value1(), r.value2(), r.value3()));
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

    /** The person followed the confirmation link: replies may be mailed (again, if they had unsubscribed). */
    void confirm(String email) {
        main.insertInto(SUBSCRIBER, SUBSCRIBER.EMAIL, SUBSCRIBER.CONFIRMED_AT)
                .values(DSL.val(key(email)), DSL.currentOffsetDateTime())
                .onConflict(SUBSCRIBER.EMAIL)
                .doUpdate()
                .set(SUBSCRIBER.CONFIRMED_AT, DSL.coalesce(SUBSCRIBER.CONFIRMED_AT, DSL.currentOffsetDateTime()))
                .setNull(SUBSCRIBER.REPLIES_OFF_AT)
                .execute();
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
