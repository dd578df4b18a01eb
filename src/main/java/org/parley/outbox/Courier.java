package org.parley.outbox;

/** Delivers the outbox rows of one kind ("mail", "webhook"); called by {@link OutboxWorker} outside any transaction. */
public interface Courier {
    /** What became of a row once its courier returns normally. */
    enum Delivered {
        /** It left Parley: the SMTP server or webhook receiver accepted it. */
        SENT,
        /** Kept for people to read in the console instead (mail without an SMTP server, on a laptop). */
        HELD
    }

    String kind();

    /**
     * Delivers one row's payload (the JSON it was written with).
     *
     * @throws DeliveryFailure when it could not be delivered: temporary ones are tried again later
     */
    Delivered deliver(String payload) throws DeliveryFailure;
}
