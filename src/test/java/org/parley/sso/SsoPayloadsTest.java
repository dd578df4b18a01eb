package org.parley.sso;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vectors the issue names, computed from Disqus's documented algorithm: the first one by Python's hmac module
 * (outside Java, so the two implementations are compared, not one with itself), the others by signing here.
 */
class SsoPayloadsTest {
    static final String SECRET = "test-secret-of-at-least-32-characters!!";
    /** base64 of {"id":"42","username":"Jane Host","email":"jane@host.example","avatar":…,"url":…}. */
    static final String MESSAGE = "eyJpZCI6IjQyIiwidXNlcm5hbWUiOiJKYW5lIEhvc3QiLCJlbWFpbCI6ImphbmVAaG9zdC5leGFtcGxlIiwiYXZh"
            + "dGFyIjoiaHR0cHM6Ly9ob3N0LmV4YW1wbGUvamFuZS5wbmciLCJ1cmwiOiJodHRwczovL2hvc3QuZXhhbXBsZS91L2phbmUifQ==";
    static final long TIMESTAMP = 1_764_800_000L;
    /** python3 -c "import hmac,hashlib; print(hmac.new(SECRET, MESSAGE + ' ' + TIMESTAMP, hashlib.sha1).hexdigest())" */
    static final String SIGNATURE = "f9cee4e513d3e9ad01abd8ae8f74aa9fa14cec8b";
    static final SsoUser JANE = new SsoUser("42", "Jane Host", "jane@host.example", "https://host.example/jane.png",
            "https://host.example/u/jane");

    private final SsoPayloads atSigning = at(TIMESTAMP + 60);

    @Test
    void aValidPayloadSignsInItsUser() {
        assertThat(atSigning.check(MESSAGE + " " + SIGNATURE + " " + TIMESTAMP, SECRET, SsoPayloads.DEFAULT_WINDOW))
                .isEqualTo(new SsoOutcome.SignedIn(JANE));
    }

    @Test
    void anUpperCaseSignatureIsTheSameSignature() {
        String upper = SIGNATURE.toUpperCase(Locale.ROOT);

        assertThat(atSigning.check(MESSAGE + " " + upper + " " + TIMESTAMP, SECRET, SsoPayloads.DEFAULT_WINDOW))
                .isEqualTo(new SsoOutcome.SignedIn(JANE));
    }

    @Test
    void aPayloadOlderThanTheWindowIsRefused() {
        SsoPayloads later = at(TIMESTAMP + Duration.ofHours(2).toSeconds() + 1);

        assertThat(later.check(MESSAGE + " " + SIGNATURE + " " + TIMESTAMP, SECRET, SsoPayloads.DEFAULT_WINDOW))
                .isInstanceOf(SsoOutcome.Refused.class)
                .extracting(o -> ((SsoOutcome.Refused) o).reason()).asString().contains("more than 120 minutes ago");
        assertThat(later.check(MESSAGE + " " + SIGNATURE + " " + TIMESTAMP, SECRET, Duration.ofHours(3)))
                .as("the window is the site's setting").isEqualTo(new SsoOutcome.SignedIn(JANE));
    }

    @Test
    void aTamperedMessageIsRefused() {
        String admin = Base64.getEncoder().encodeToString(
                "{\"id\":\"1\",\"username\":\"Admin\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(atSigning.check(admin + " " + SIGNATURE + " " + TIMESTAMP, SECRET, SsoPayloads.DEFAULT_WINDOW))
                .isEqualTo(new SsoOutcome.Refused("the signature does not match the message and timestamp"));
    }

    @Test
    void aTamperedSignatureOrTimestampIsRefused() {
        String flipped = (SIGNATURE.charAt(0) == 'f' ? "e" : "f") + SIGNATURE.substring(1);

        assertThat(atSigning.check(MESSAGE + " " + flipped + " " + TIMESTAMP, SECRET, SsoPayloads.DEFAULT_WINDOW))
                .isInstanceOf(SsoOutcome.Refused.class);
        assertThat(atSigning.check(MESSAGE + " " + SIGNATURE + " " + (TIMESTAMP + 1), SECRET, SsoPayloads.DEFAULT_WINDOW))
                .isInstanceOf(SsoOutcome.Refused.class);
        assertThat(atSigning.check(MESSAGE + " " + SIGNATURE + " " + TIMESTAMP, SECRET + "x", SsoPayloads.DEFAULT_WINDOW))
                .as("another site's secret").isInstanceOf(SsoOutcome.Refused.class);
    }

    @Test
    void anEmptyArrayMeansSignedOut() {
        String signature = hex(SsoPayloads.hmacSha1(SECRET, "W10= " + TIMESTAMP));

        assertThat(atSigning.check("W10= " + signature + " " + TIMESTAMP, SECRET, SsoPayloads.DEFAULT_WINDOW))
                .isEqualTo(new SsoOutcome.SignedOut());
        assertThat(atSigning.check("W10=", SECRET, SsoPayloads.DEFAULT_WINDOW)).isEqualTo(new SsoOutcome.SignedOut());
    }

    @Test
    void malformedPayloadsAreRefusedWithAReason() {
        for (String bad : new String[] {"", "hello", "a b c", MESSAGE + " " + SIGNATURE, "x".repeat(9000)}) {
            assertThat(atSigning.check(bad, SECRET, SsoPayloads.DEFAULT_WINDOW)).as(bad.length() > 40 ? "long" : bad)
                    .isInstanceOf(SsoOutcome.Refused.class);
        }
        String noName = Base64.getEncoder().encodeToString("{\"id\":\"7\"}".getBytes(StandardCharsets.UTF_8));
        String signed = noName + " " + hex(SsoPayloads.hmacSha1(SECRET, noName + " " + TIMESTAMP)) + " " + TIMESTAMP;
        assertThat(atSigning.check(signed, SECRET, SsoPayloads.DEFAULT_WINDOW)).isEqualTo(
                new SsoOutcome.Refused("the user has no username, or one longer than 100 characters"));
        assertThat(atSigning.check(MESSAGE + " " + SIGNATURE + " " + TIMESTAMP, null, SsoPayloads.DEFAULT_WINDOW))
                .isEqualTo(new SsoOutcome.Refused("the site has no SSO secret"));
    }

    @Test
    void aJwtWithTheSameClaimsSignsInAndOnlyHs256IsAccepted() throws Exception {
        Instant now = Instant.ofEpochSecond(TIMESTAMP);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("42").claim("username", "Jane Host")
                .claim("email", "jane@host.example").claim("avatar", "https://host.example/jane.png")
                .claim("url", "https://host.example/u/jane").expirationTime(Date.from(now.plusSeconds(600))).build();

        assertThat(atSigning.check(jwt(JWSAlgorithm.HS256, claims, SECRET), SECRET, SsoPayloads.DEFAULT_WINDOW))
                .isEqualTo(new SsoOutcome.SignedIn(JANE));
        assertThat(atSigning.check(jwt(JWSAlgorithm.HS512, claims, SECRET + SECRET), SECRET + SECRET,
                SsoPayloads.DEFAULT_WINDOW)).isInstanceOf(SsoOutcome.Refused.class);
        assertThat(atSigning.check(jwt(JWSAlgorithm.HS256, claims, SECRET + "!"), SECRET, SsoPayloads.DEFAULT_WINDOW))
                .isEqualTo(new SsoOutcome.Refused("the JWT's signature does not match"));
        assertThat(at(TIMESTAMP + 3600).check(jwt(JWSAlgorithm.HS256, claims, SECRET), SECRET, SsoPayloads.DEFAULT_WINDOW))
                .as("expired").isInstanceOf(SsoOutcome.Refused.class);
        String unsigned = new com.nimbusds.jwt.PlainJWT(claims).serialize();
        assertThat(atSigning.check(unsigned, SECRET, SsoPayloads.DEFAULT_WINDOW)).as("alg none")
                .isInstanceOf(SsoOutcome.Refused.class);
    }

    private static String jwt(JWSAlgorithm alg, JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static SsoPayloads at(long epochSecond) {
        return new SsoPayloads(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
