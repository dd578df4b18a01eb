package org.parley.account;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * An argon2 hash as stored: the PHC string format that argon2's reference implementation writes
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, base64 without padding), so hashes written by other
 * tools (and by Parley's earlier password library) keep verifying.
 */
record Argon2Hash(int type, int version, int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
    private static final List<String> TYPES = List.of("argon2d", "argon2i", "argon2id"); // by Argon2Parameters' number
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    /** The same settings and salt with {@code password}'s hash, as long as this one's. */
    Argon2Hash of(String password) {
        return new Argon2Hash(type, version, memoryKib, iterations, parallelism, salt, derive(password));
    }

    /** Whether {@code password} gives this hash (compared in constant time). */
    boolean matches(String password) {
        return MessageDigest.isEqual(derive(password), hash);
    }

    /** A generator per hash: its 19 MiB go with it. */
    private byte[] derive(String password) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(type).withVersion(version).withMemoryAsKB(memoryKib)
                .withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
        byte[] derived = new byte[hash.length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), derived);
        return derived;
    }

    String encoded() {
        return "$" + TYPES.get(type) + "$v=" + version + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** The stored hash, or empty when it is not an argon2 PHC string (such a hash matches no password). */
    static Optional<Argon2Hash> parse(String stored) {
        String[] parts = stored.split("\\$", -1);
        // "", type, ["v=19",] "m=..,t=..,p=..", salt, hash; without "v=" it is argon2's first version
        boolean versioned = parts.length == 6;
        if ((parts.length != 5 && !versioned) || !parts[0].isEmpty() || !TYPES.contains(parts[1])) {
            return Optional.empty();
        }
        try {
            int version = versioned ? number(parts[2], "v=") : Argon2Parameters.ARGON2_VERSION_10;
            String[] costs = parts[versioned ? 3 : 2].split(",", -1);
            if (costs.length != 3) {
                return Optional.empty();
            }
            byte[] salt = Base64.getDecoder().decode(parts[parts.length - 2]);
            byte[] hash = Base64.getDecoder().decode(parts[parts.length - 1]);
            if (hash.length == 0) {
                return Optional.empty();
            }
            return Optional.of(new Argon2Hash(TYPES.indexOf(parts[1]), version, number(costs[0], "m="),
                    number(costs[1], "t="), number(costs[2], "p="), salt, hash));
        } catch (IllegalArgumentException e) { // a number or base64 that does not parse
            return Optional.empty();
        }
    }

    private static int number(String field, String name) {
        if (!field.startsWith(name)) {
            throw new IllegalArgumentException(field);
        }
        int value = Integer.parseInt(field.substring(name.length()));
        if (value <= 0) {
            throw new IllegalArgumentException(field);
        }
        return value;
    }
}
