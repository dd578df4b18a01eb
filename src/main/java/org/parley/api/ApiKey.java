package org.parley.api;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** One of a site's API keys, as stored: never the key itself, only its first characters and its scopes. */
public record ApiKey(long id, long siteId, String name, String prefix, Set<Scope> scopes, OffsetDateTime createdAt,
                     OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {
    /** What a key may do; each is granted on its own (docs/api.md). */
    public enum Scope {
        /** Every comment of the site whatever its state, and the moderation queue. */
        READ,
        /** Post comments as the site (an app's own users), under the site's rules. */
        WRITE,
        /** Approve, reject, mark as spam, restore and hold comments; audited as the key. */
        MODERATE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Scope> of(String wireName) {
            return Arrays.stream(values()).filter(s -> s.wireName().equals(wireName)).findFirst();
        }
    }

    public ApiKey {
        scopes = Set.copyOf(scopes);
    }

    public boolean allows(Scope scope) {
        return revokedAt == null && scopes.contains(scope);
    }

    /** The scopes by name, in a fixed order, as the console and the audit log show them. */
    public java.util.List<String> scopeNames() {
        return scopes.stream().sorted().map(Scope::wireName).toList();
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
