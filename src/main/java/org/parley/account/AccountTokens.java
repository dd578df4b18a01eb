package org.parley.account;

import org.parley.web.KeyRing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The links mailed to a person: signed with the session keys (so any instance can check them and nothing is
 * stored), with an expiry, and bound to what they change so each works once.
 * <ul>
 *     <li>password reset: bound to the current password hash, so the link dies as soon as the password changes
 *     (by this link or otherwise);</li>
 *     <li>email verification: bound to the address, so a link for an old address cannot verify a new one.</li>
 * </ul>
 */
public final class AccountTokens {
    public static final Duration RESET_VALID = Duration.ofHours(1);
    public static final Duration VERIFY_VALID = Duration.ofDays(7);
    private static final Pattern PAYLOAD = Pattern.compile("([rv])\\.(\\d{1,19})\\.(\\d{1,12})\\.([A-Za-z0-9_-]{11})");
    private static final Pattern EMAIL_CHANGE = Pattern.compile("e\\.(\\d{1,19})\\.(\\d{1,12})\\.([A-Za-z0-9_-]{4,400})");

    /** An address change the person asked for: the account and the new address. */
    public record EmailChange(long accountId, String email) {
    }

    /** What a valid link names: the account, and the fingerprint of what it is bound to. */
    record Claim(long accountId, String fingerprint) {
    }

    private final KeyRing keys;
    private final Clock clock;

    public AccountTokens(KeyRing keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    String reset(long accountId, String passwordHash) {
        return token("r", accountId, RESET_VALID, fingerprint(passwordHash));
    }

    String verify(long accountId, String email) {
        return token("v", accountId, VERIFY_VALID, fingerprint(email.toLowerCase(Locale.ROOT)));
    }

    /** The link mailed to a new address: proves it is the person's, for {@link #VERIFY_VALID}. */
    public String emailChange(long accountId, String newEmail) {
        long expires = clock.instant().plus(VERIFY_VALID).getEpochSecond();
        return keys.sign("e." + accountId + "." + expires + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(newEmail.getBytes(StandardCharsets.UTF_8)));
    }

    public Optional<EmailChange> emailChangeClaim(String token) {
        if (token == null || token.length() > 700) {
            return Optional.empty();
        }
        return keys.verified(token).flatMap(payload -> {
            Matcher m = EMAIL_CHANGE.matcher(payload);
            if (!m.matches() || Long.parseLong(m.group(2)) < clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new EmailChange(Long.parseLong(m.group(1)),
                        new String(Base64.getUrlDecoder().decode(m.group(3)), StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    Optional<Claim> resetClaim(String token) {
        return claim("r", token);
    }

    Optional<Claim> verifyClaim(String token) {
        return claim("v", token);
    }

    static String fingerprint(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String token(String purpose, long accountId, Duration valid, String fingerprint) {
        long expires = clock.instant().plus(valid).getEpochSecond();
        return keys.sign(purpose + "." + accountId + "." + expires + "." + fingerprint);
    }

    private Optional<Claim> claim(String purpose, String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        return keys.verified(token).flatMap(payload -> {
            Matcher m = PAYLOAD.matcher(payload);
            if (!m.matches() || !m.group(1).equals(purpose)
                    || Long.parseLong(m.group(3)) < clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(new Claim(Long.parseLong(m.group(2)), m.group(4)));
        });
    }
}
