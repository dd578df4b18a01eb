package org.parley.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a host site's SSO payload against the site's secret, in either of two shapes:
 * <ul>
 *   <li><b>Disqus's {@code remote_auth_s3}</b>: {@code MESSAGE SIGNATURE TIMESTAMP}, where MESSAGE is base64 of a
 *   JSON object ({@code id}, {@code username}, {@code email}, optional {@code avatar}, {@code url}), SIGNATURE the
 *   hex HMAC-SHA1 of {@code MESSAGE + " " + TIMESTAMP} (either case, compared in constant time) and TIMESTAMP Unix
 *   seconds, accepted within the site's window. A MESSAGE of {@code W10=} ({@code []}) means signed out.</li>
 *   <li><b>A JWT</b> signed with HS256 and nothing else (the header cannot choose a weaker algorithm), with the
 *   same claims ({@code sub} may stand for {@code id}, {@code name} for {@code username}) and an {@code exp} or
 *   an {@code iat} within the window.</li>
 * </ul>
 * Anything else is {@link SsoOutcome.Refused} with a reason for the log: the visitor is simply anonymous.
 */
public final class SsoPayloads {
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(2);
    /** A host's clock ahead of ours by this much is still believed. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final String SIGNED_OUT = "W10=";
    private static final int MAX_PAYLOAD = 8192;
    private static final Pattern S3 = Pattern.compile("([A-Za-z0-9+/=_-]+) ([0-9a-fA-F]{40}) ([0-9]{1,12})");
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final int MAX_ID = 200;
    private static final int MAX_NAME = 100;
    private static final int MAX_EMAIL = 254;
    private static final int MAX_URL = 2000;

    private final Clock clock;

    public SsoPayloads(Clock clock) {
        this.clock = clock;
    }

    public SsoOutcome check(String payload, String secret, Duration window) {
        if (secret == null || secret.isEmpty()) {
            return new SsoOutcome.Refused("the site has no SSO secret");
        }
        if (payload == null || payload.isBlank()) {
            return new SsoOutcome.Refused("the payload is empty");
        }
        String p = payload.strip();
        if (p.length() > MAX_PAYLOAD) {
            return new SsoOutcome.Refused("the payload is longer than " + MAX_PAYLOAD + " characters");
        }
        if (p.equals(SIGNED_OUT) || p.startsWith(SIGNED_OUT + " ")) {
            return new SsoOutcome.SignedOut(); // nobody gains anything by forging a sign-out
        }
        var s3 = S3.matcher(p);
        if (s3.matches()) {
            return remoteAuthS3(s3.group(1), s3.group(2), s3.group(3), secret, window);
        }
        if (JWT.matcher(p).matches()) {
            return jwt(p, secret, window);
        }
        return new SsoOutcome.Refused("the payload is neither 'MESSAGE SIGNATURE TIMESTAMP' nor a JWT");
    }

    private SsoOutcome remoteAuthS3(String message, String signature, String timestamp, String secret,
                                    Duration window) {
        byte[] expected = hmacSha1(secret, message + " " + timestamp);
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature))) {
            return new SsoOutcome.Refused("the signature does not match the message and timestamp");
        }
        Instant signed = Instant.ofEpochSecond(Long.parseLong(timestamp));
        String stale = staleness(signed, window);
        if (stale != null) {
            return new SsoOutcome.Refused(stale);
        }
        Map<String, Object> json;
        try {
            String text = new String(Base64.getMimeDecoder().decode(message.replace('-', '+').replace('_', '/')),
                    StandardCharsets.UTF_8);
            json = JSONObjectUtils.parse(text);
        } catch (IllegalArgumentException | ParseException e) {
            return new SsoOutcome.Refused("the message is not base64 of a JSON object");
        }
        return user(json);
    }

    private SsoOutcome jwt(String token, String secret, Duration window) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                return new SsoOutcome.Refused("the JWT is signed with " + jwt.getHeader().getAlgorithm()
                        + ", not HS256");
            }
            if (!jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))) {
                return new SsoOutcome.Refused("the JWT's signature does not match");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Date exp = claims.getExpirationTime();
            Date iat = claims.getIssueTime();
            if (exp != null) {
                if (now.isAfter(exp.toInstant().plus(CLOCK_SKEW))) {
                    return new SsoOutcome.Refused("the JWT expired at " + exp.toInstant());
                }
            } else if (iat == null) {
                return new SsoOutcome.Refused("the JWT has neither exp nor iat");
            } else {
                String stale = staleness(iat.toInstant(), window);
                if (stale != null) {
                    return new SsoOutcome.Refused(stale);
                }
            }
            Map<String, Object> json = new java.util.HashMap<>(claims.getClaims());
            json.putIfAbsent("id", claims.getSubject());
            json.putIfAbsent("username", claims.getClaim("name"));
            return user(json);
        } catch (ParseException e) {
            return new SsoOutcome.Refused("the JWT cannot be read: " + e.getMessage());
        } catch (JOSEException e) {
            // MACVerifier refuses secrets under 256 bits; the settings do too, so this is a secret set by hand
            return new SsoOutcome.Refused("the JWT cannot be checked: " + e.getMessage());
        }
    }

    /** Null when {@code signed} is within the window (and not far in the future), else why not. */
    private String staleness(Instant signed, Duration window) {
        Instant now = clock.instant();
        if (signed.isBefore(now.minus(window))) {
            return "the payload was signed at " + signed + ", more than " + window.toMinutes() + " minutes ago";
        }
        if (signed.isAfter(now.plus(CLOCK_SKEW))) {
            return "the payload is signed for " + signed + ", in the future";
        }
        return null;
    }

    private static SsoOutcome user(Map<String, Object> json) {
        Object rawId = json.get("id");
        String id = rawId instanceof Number n ? Long.toString(n.longValue()) : text(rawId);
        String username = text(json.get("username"));
        String email = text(json.get("email"));
        String avatar = text(json.get("avatar"));
        String url = text(json.get("url"));
        if (id == null || id.length() > MAX_ID) {
            return new SsoOutcome.Refused("the user has no id, or one longer than " + MAX_ID + " characters");
        }
        if (username == null || username.length() > MAX_NAME) {
            return new SsoOutcome.Refused("the user has no username, or one longer than " + MAX_NAME + " characters");
        }
        if (email != null && (email.length() > MAX_EMAIL || !email.contains("@"))) {
            return new SsoOutcome.Refused("the user's email is not an address");
        }
        return new SsoOutcome.SignedIn(new SsoUser(id, username, email, webAddress(avatar), webAddress(url)));
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s.strip() : null;
    }

    /** An http(s) address of sensible length, else nothing: these are shown as links and images. */
    private static String webAddress(String text) {
        return text != null && text.length() <= MAX_URL && text.matches("(?i)https?://[^\\s\"'<>]+") ? text : null;
    }

    static byte[] hmacSha1(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }
}
