package org.parley.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passwords as stored: argon2id PHC strings that keep verifying across libraries. The fixed hashes below were made
 * outside Parley's current code: by password4j 1.8.4 with Parley's settings (what installs before the switch to
 * Bouncy Castle stored), and by argon2's reference command line ({@code argon2 SALT -id -t 3 -k 4096 -p 2 -e}).
 */
class PasswordsTest {
    @Test
    void aHashStoredByTheEarlierLibraryStillSignsIn() {
        String stored = "$argon2id$v=19$m=19456,t=2,p=1$sBdq9qIzV6+TXlPNOE5qrw$nkFrEoJ/q+d4wieXPgGcu7f/nSj+qpHzfv7UHvHpKjc";
        assertThat(Passwords.matches("correct horse battery staple", stored)).isTrue();
        assertThat(Passwords.matches("correct horse battery stapler", stored)).isFalse();

        String unicode = "$argon2id$v=19$m=19456,t=2,p=1$KEYiLrZwJ1IctfE9aZqVyg$cr4wjzj0KSjlZnKn1cqEg2187Xw5iPFu0VE4AaIbo+s";
        assertThat(Passwords.matches("pässwörd ✓ 🐍", unicode)).as("UTF-8, as it was hashed").isTrue();
    }

    @Test
    void hashesFromArgon2sReferenceImplementationVerify() {
        assertThat(Passwords.matches("pässwörd ✓",
                "$argon2id$v=19$m=4096,t=3,p=2$c2FsdHNhbHRzYWx0MTZi$gZIQrN2ptKYtSmFNr24ZMH6ZbT5HjNthFAyYlbZpZEA")).isTrue();
        // argon2i, four lanes, a 24-byte hash: the example in argon2's README
        assertThat(Passwords.matches("password",
                "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG")).isTrue();
        assertThat(Passwords.matches("Password",
                "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG")).isFalse();
    }

    @Test
    void aNewHashIsArgon2idAtOwaspsSettingWithItsOwnSalt() {
        String first = Passwords.hash("s3cret enough");
        String second = Passwords.hash("s3cret enough");

        assertThat(first).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        String[] parts = first.split("\\$");
        assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
        assertThat(second).as("a fresh salt each time").isNotEqualTo(first);
        assertThat(Passwords.matches("s3cret enough", first)).isTrue();
        assertThat(Passwords.matches("s3cret enough", second)).isTrue();
        assertThat(Passwords.matches("s3cret enough ", first)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "plain text", "$2a$10$abcdefghijklmnopqrstuv", // not argon2 (bcrypt)
            "$argon2id$v=19$m=19456,t=2$c29tZXNhbHQ$RdescudvJCsgt3ub", // a cost missing
            "$argon2id$v=19$m=0,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub", // zero memory
            "$argon2id$v=x$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub", // version not a number
            "$argon2id$v=19$m=19456,t=2,p=1$c29t!!$RdescudvJCsgt3ub", // salt not base64
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$", // no hash
            "$argon2x$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub", // unknown type
    })
    void anUnreadableStoredHashMatchesNothingAndThrowsNothing(String stored) {
        assertThat(Passwords.matches("password", stored)).isFalse();
    }

    @Test
    void noStoredHashMatchesNothing() {
        assertThat(Passwords.matches("password", null)).isFalse();
    }
}
