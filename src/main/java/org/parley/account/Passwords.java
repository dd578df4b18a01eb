package org.parley.account;

import org.bouncycastle.crypto.params.Argon2Parameters;

import java.security.SecureRandom;

/**
 * Password hashing with argon2id at OWASP's first recommended setting (19 MiB, 2 passes, one lane: tens of ms a
 * hash), stored as PHC strings, and generation of the administrator's first password. Each hash allocates its
 * 19 MiB and lets it go; nothing of it stays on the heap between sign-ins.
 */
public final class Passwords {
    private static final int MEMORY_KIB = 19456;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int GENERATED_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new Argon2Hash(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, MEMORY_KIB, ITERATIONS,
                PARALLELISM, salt, new byte[HASH_BYTES]).of(password).encoded();
    }

    /** Whether {@code password} is the one {@code stored} was made from; false for a missing or unreadable hash. */
    public static boolean matches(String password, String stored) {
        return stored != null && Argon2Hash.parse(stored).map(hash -> hash.matches(password)).orElse(false);
    }

    /** 20 characters without look-alikes (0/O, 1/l/I): ~116 bits, easy to copy from a terminal. */
    public static String generate() {
        StringBuilder out = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
