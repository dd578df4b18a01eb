package org.parley.sso;

/**
 * A host site's user as its signed payload describes them: {@code id} is theirs (unique on that site, never shown),
 * {@code username} the name comments show; email, avatar and profile address are optional.
 */
public record SsoUser(String id, String username, String email, String avatar, String url) {
}
