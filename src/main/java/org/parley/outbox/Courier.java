package org.parley.outbox;

/** Delivers the outbox rows of one kind ("mail", "webhook"); called by {@link OutboxWorker} outside any transaction. */
public interface Courier {
    /**
     * What became of a row once its courier returns normally: {@link #SENT} (the SMTP server or webhook receiver
     * accepted it), {@link #HELD} (kept for people to read in the console instead: mail without an SMTP server) or
     * {@link #dropped} (nothing to deliver any more — the person unsubscribed, the reply was removed — with why).
     */
    record Delivered(String state, String note) {
        public static final Delivered SENT = new Delivered("sent", null);
        public static final Delivered HELD = new Delivered("held", null);

        public static Delivered dropped(String why) {
            return new Delivered("dropped", why);
        }
    }

    String kind();

    /**
     * Delivers one row's payload (the JSON it was written with).
     *
     * @throws DeliveryFailure when it could not be delivered: temporary ones are tried again later
     */
    Delivered deliver(String payload) throws DeliveryFailure;
}
