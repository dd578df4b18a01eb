package org.parley.notify;

import org.parley.web.KeyRing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The links in notification mails, signed with the session keys and naming the address they act for: "confirm
 * this address" (a week) and "unsubscribe" (for as long as the keys last — a link in an old mail must still
 * stop the mails).
 */
public final class SubscriberTokens {
    public static final Duration CONFIRM_VALID = Duration.ofDays(7);
    private static final Pattern CONFIRM = Pattern.compile("c\\.([A-Za-z0-9_-]{4,400})\\.(\\d{1,12})");
    private static final Pattern UNSUBSCRIBE = Pattern.compile("u\\.([A-Za-z0-9_-]{4,400})");
    private static final Pattern UNFOLLOW = Pattern.compile("f\\.(\\d{1,19})\\.(\\d{1,19})");

    /** A member's following of a thread, named by an unfollow link. */
    public record Following(long threadId, long accountId) {
    }
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();

    private final KeyRing keys;
    private final Clock clock;

    public SubscriberTokens(KeyRing keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    String confirm(String email) {
        return keys.sign("c." + encode(email) + "." + clock.instant().plus(CONFIRM_VALID).getEpochSecond());
    }

    String unsubscribe(String email) {
        return keys.sign("u." + encode(email));
    }

    String unfollow(long threadId, long accountId) {
        return keys.sign("f." + threadId + "." + accountId);
    }

    Optional<Following> following(String token) {
        return payload(token).flatMap(p -> {
            Matcher m = UNFOLLOW.matcher(p);
            return m.matches() ? Optional.of(new Following(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))))
                    : Optional.empty();
        });
    }

    Optional<String> confirmedAddress(String token) {
        return payload(token).flatMap(p -> {
            Matcher m = CONFIRM.matcher(p);
            return m.matches() && Long.parseLong(m.group(2)) >= clock.instant().getEpochSecond()
                    ? decode(m.group(1)) : Optional.empty();
        });
    }

    Optional<String> unsubscribedAddress(String token) {
        return payload(token).flatMap(p -> {
            Matcher m = UNSUBSCRIBE.matcher(p);
            return m.matches() ? decode(m.group(1)) : Optional.empty();
        });
    }

    private Optional<String> payload(String token) {
        return token == null || token.length() > 600 ? Optional.empty() : keys.verified(token);
    }

    private static String encode(String email) {
        return ENCODE.encodeToString(Subscribers.key(email).getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> decode(String text) {
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
