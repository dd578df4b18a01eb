package org.parley.sso;

/** What a payload says, once checked: a user, signed out, or refused with the reason (logged, never shown). */
public sealed interface SsoOutcome {
    record SignedIn(SsoUser user) implements SsoOutcome {
    }

    /** {@code W10=} (an empty JSON array) in the message: the host's visitor signed out. */
    record SignedOut() implements SsoOutcome {
    }

    record Refused(String reason) implements SsoOutcome {
    }
}
