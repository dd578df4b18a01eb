package org.parley.mail;

import org.parley.outbox.Courier;

/**
 * With no SMTP server configured (the embedded default on a laptop), mails are kept for the console's
 * outgoing-mail page instead of sent, so sign-up, password reset and notifications can still be tried end to end.
 */
public final class HeldMailCourier implements Courier {
    @Override
    public String kind() {
        return Mail.KIND;
    }

    @Override
    public Delivered deliver(String payload) {
        return Delivered.HELD;
    }
}
