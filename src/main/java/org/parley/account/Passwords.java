package org.parley.account;

import com.password4j.Password;

import java.security.SecureRandom;

/**
 * Password hashing with argon2id (password4j's defaults: the OWASP-recommended parameters), and generation of
 * the administrator's first password.
 */
public final class Passwords {
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int GENERATED_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt().withArgon2().getResult();
    }

    public static boolean matches(String password, String hash) {
        return hash != null && Password.check(password, hash).withArgon2();
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
