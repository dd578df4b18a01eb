package org.parley.account;

/** A signed-up person. The email is private: pages show the display name and the avatar made from the email. */
public record Account(long id, String email, String displayName, boolean admin) {
}
