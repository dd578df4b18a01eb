package org.parley.outbox;

/**
 * A delivery that did not happen. Temporary (a server down, a 4xx SMTP reply, a timeout) is tried again after a
 * backoff; permanent (an address the server refuses for good, a payload that cannot be read) goes straight to the
 * dead letters, where a person can read why and resend it.
 */
public final class DeliveryFailure extends Exception {
    private final boolean permanent;

    private DeliveryFailure(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public static DeliveryFailure temporary(String message, Throwable cause) {
        return new DeliveryFailure(message, false, cause);
    }

    public static DeliveryFailure permanent(String message, Throwable cause) {
        return new DeliveryFailure(message, true, cause);
    }

    public boolean permanent() {
        return permanent;
    }
}
