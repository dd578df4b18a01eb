package org.parley.web;

import org.junit.jupiter.api.Test;
import org.parley.Config;
import org.parley.config.ConfigException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRingTest {
    private static final byte[] OLD = KeyRing.generateKey();
    private static final byte[] NEW = KeyRing.generateKey();

    @Test
    void aSignedPayloadComesBackFromTheSameRing() {
        KeyRing ring = KeyRing.of(List.of(OLD));

        String token = ring.sign("hello.world");

        assertThat(token).matches("hello\\.world\\.[A-Za-z0-9_-]{4}\\.[A-Za-z0-9_-]{43}");
        assertThat(token.split("\\.")[2]).isEqualTo(ring.signingKeyId());
        assertThat(ring.verified(token)).hasValue("hello.world");
    }

    @Test
    void anythingButAnUntouchedTokenIsRefused() {
        KeyRing ring = KeyRing.of(List.of(OLD));
        String token = ring.sign("account=7");
        int macStart = token.lastIndexOf('.') + 1;
        String otherMac = token.substring(0, macStart) + (token.charAt(macStart) == 'A' ? 'B' : 'A')
                + token.substring(macStart + 1);

        assertThat(ring.verified(token.replace("account=7", "account=8"))).as("tampered payload").isEmpty();
        assertThat(ring.verified(otherMac)).as("tampered mac").isEmpty();
        assertThat(KeyRing.of(List.of(NEW)).verified(token)).as("another key").isEmpty();
        assertThat(ring.verified(token.substring(0, token.length() - 5))).as("truncated").isEmpty();
        assertThat(ring.verified("account=7")).as("unsigned").isEmpty();
        assertThat(ring.verified("%%%.\u0000.;;;")).as("garbage").isEmpty();
        assertThat(ring.verified("")).as("empty").isEmpty();
    }

    @Test
    void aKeyAddedInFrontSignsWhileTheOldOneStillVerifies() {
        String signedBefore = KeyRing.of(List.of(OLD)).sign("payload");
        KeyRing rotated = KeyRing.of(List.of(NEW, OLD));

        assertThat(rotated.verified(signedBefore)).hasValue("payload");
        assertThat(rotated.sign("payload")).isNotEqualTo(signedBefore);
        String newId = KeyRing.of(List.of(NEW)).signingKeyId();
        String oldId = KeyRing.of(List.of(OLD)).signingKeyId();
        assertThat(rotated.signingKeyId()).isEqualTo(newId);
        assertThat(rotated.keyIds()).as("ids follow the key, not its place").containsExactly(newId, oldId);
    }

    @Test
    void aRemovedKeyNoLongerVerifies() {
        String signedByOld = KeyRing.of(List.of(OLD)).sign("payload");
        String signedByNew = KeyRing.of(List.of(NEW, OLD)).sign("payload");

        KeyRing oldRemoved = KeyRing.of(List.of(NEW));

        assertThat(oldRemoved.verified(signedByOld)).isEmpty();
        assertThat(oldRemoved.verified(signedByNew)).hasValue("payload");
    }

    @Test
    void macsVerifyUnderEveryKeyOfTheRing() {
        byte[] data = "csrf|visitor".getBytes(StandardCharsets.UTF_8);
        byte[] oldMac = KeyRing.of(List.of(OLD)).mac(data);
        KeyRing rotated = KeyRing.of(List.of(NEW, OLD));

        assertThat(rotated.verify(data, oldMac)).isTrue();
        assertThat(rotated.verify(data, rotated.mac(data))).isTrue();
        assertThat(rotated.verify("csrf|other".getBytes(StandardCharsets.UTF_8), oldMac)).isFalse();
        assertThat(KeyRing.of(List.of(NEW)).verify(data, oldMac)).isFalse();
        assertThat(rotated.verify(data, new byte[0])).isFalse();
    }

    @Test
    void configuredKeysAreBase64OrBase64UrlWithOrWithoutPadding() {
        byte[] key = new byte[33];
        key[0] = (byte) 0xfb; // the first character is '+' in base64 and '-' in base64url
        key[1] = (byte) 0xff;
        String standard = Base64.getEncoder().encodeToString(key);
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(key);

        KeyRing ring = KeyRing.parse("PARLEY_SESSION_KEYS", " " + standard + " , " + url + "," + b64(OLD));

        assertThat(standard).startsWith("+");
        assertThat(url).startsWith("-");
        assertThat(ring.keyIds()).hasSize(3);
        assertThat(ring.keyIds().get(0)).isEqualTo(ring.keyIds().get(1));
        assertThat(ring.verified(KeyRing.of(List.of(key)).sign("x"))).hasValue("x");
    }

    @Test
    void malformedKeysAreNamedByPositionWithoutEchoingThem() {
        String tooShort = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> KeyRing.parse("PARLEY_SESSION_KEYS", b64(NEW) + "," + tooShort + ",not base64!,"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "PARLEY_SESSION_KEYS key 2 of 4 has 16 bytes, at least 32 are needed;"
                                + " generate a key with: openssl rand -base64 32",
                        "PARLEY_SESSION_KEYS key 3 of 4 is not base64; generate a key with: openssl rand -base64 32",
                        "PARLEY_SESSION_KEYS key 4 of 4 is empty; give comma-separated base64 keys, the signing key first"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(b64(NEW)).doesNotContain(tooShort));
    }

    @Test
    void aMalformedSettingIsReportedWithTheOtherProblemsAndIsMaskedInTheLog() {
        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_SESSION_KEYS", "c2VjcmV0", "PARLEY_PORT", "x")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "PARLEY_PORT must be a whole number between 0 and 65535, got 'x'",
                        "PARLEY_SESSION_KEYS has 6 bytes, at least 32 are needed;"
                                + " generate a key with: openssl rand -base64 32"));

        Config config = Config.load(Map.of("PARLEY_SESSION_KEYS", b64(NEW) + "," + b64(OLD)));
        assertThat(config.sessionKeys()).isEqualTo(b64(NEW) + "," + b64(OLD));
        assertThat(config.describe()).contains("PARLEY_SESSION_KEYS=****").doesNotContain(b64(NEW));
        assertThat(Config.load(Map.of()).sessionKeys()).isEmpty();
    }

    @Test
    void theRingNeverPrintsItsKeys() {
        KeyRing ring = KeyRing.of(List.of(NEW));

        assertThat(ring.toString()).isEqualTo("KeyRing[" + ring.signingKeyId() + "]");
    }

    private static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }
}
