package org.parley.web;

import org.jooq.DSLContext;
import org.parley.config.ConfigException;
import org.parley.config.Setting;
import org.parley.config.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.parley.db.main.Tables.SETTING;

/**
 * The HMAC-SHA256 keys that sign what Parley hands to browsers (session cookies, CSRF tokens), so that any
 * instance can check what another issued without sharing memory. The first key signs, every key verifies:
 * to rotate, put a new key in front and keep the old ones until the cookies they signed have expired
 * (see docs/sessions.md for the two-step roll-out across instances).
 *
 * <p>Each key has a short id derived from the key itself (not its position), so a token names the key that
 * signed it and the id stays the same when keys are added in front.
 */
public final class KeyRing {
    /** HMAC-SHA256 gains nothing from longer keys, and anything shorter than its output weakens it. */
    public static final int MIN_KEY_BYTES = 32;
    /** The main.setting row that holds the keys when PARLEY_SESSION_KEYS is not set. */
    public static final String SETTING_KEY = "session_keys";
    private static final String ALGORITHM = "HmacSHA256";
    /** 3 bytes of SHA-256 → 4 base64url characters: enough to pick the key, short in every cookie. */
    private static final int KEY_ID_BYTES = 3;
    /** ".keyId.mac" at the end of a token; 43 base64url characters are HMAC-SHA256's 32 bytes. */
    private static final Pattern TOKEN_TAIL = Pattern.compile("\\.([A-Za-z0-9_-]{4})\\.([A-Za-z0-9_-]{43})\\z");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(KeyRing.class);

    private record Key(String id, SecretKeySpec secret) {
    }

    private final List<Key> keys;

    private KeyRing(List<byte[]> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a key ring needs at least one key");
        }
        List<Key> ring = new ArrayList<>();
        for (byte[] secret : secrets) {
            if (secret.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("a key needs at least " + MIN_KEY_BYTES + " bytes, got " + secret.length);
            }
            ring.add(new Key(idOf(secret), new SecretKeySpec(secret, ALGORITHM)));
        }
        this.keys = List.copyOf(ring);
    }

    /** A ring of raw keys, the first signing. */
    public static KeyRing of(List<byte[]> secrets) {
        return new KeyRing(secrets);
    }

    /** 32 bytes from SecureRandom: a fresh key. */
    public static byte[] generateKey() {
        byte[] key = new byte[MIN_KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /**
     * The ring for this installation: PARLEY_SESSION_KEYS when set, else the keys kept in the main database,
     * created on first use so that every instance sharing that database signs with the same key unconfigured.
     *
     * @throws ConfigException  when {@code configured} is malformed (naming PARLEY_SESSION_KEYS)
     * @throws StartupException when the stored keys are malformed
     */
    public static KeyRing load(String configured, DSLContext main) {
        if (!configured.isBlank()) {
            KeyRing ring = parse(Setting.SESSION_KEYS.key(), configured);
            log.info("Session keys: {} from {}, signing with key {}", ring.keys.size(), Setting.SESSION_KEYS.key(),
                    ring.signingKeyId());
            return ring;
        }
        String stored = storedKeys(main);
        try {
            KeyRing ring = parse(SETTING_KEY, stored);
            log.info("Session keys: {} from main.setting '{}', signing with key {}", ring.keys.size(), SETTING_KEY,
                    ring.signingKeyId());
            return ring;
        } catch (ConfigException e) {
            throw new StartupException("The session keys in the main database (table main.setting, key '"
                    + SETTING_KEY + "') are malformed: " + e.getMessage() + ". Correct that row, or delete it to have"
                    + " a new key generated (which signs everyone out), or set " + Setting.SESSION_KEYS.key() + ".", e);
        }
    }

    /**
     * Reads the stored keys, first inserting a new one if there are none. Two instances starting at once may
     * both generate a key; ON CONFLICT keeps the first, and both read back that one.
     */
    private static String storedKeys(DSLContext main) {
        Optional<String> stored = readStoredKeys(main);
        if (stored.isPresent()) {
            return stored.get();
        }
        main.insertInto(SETTING, SETTING.KEY, SETTING.VALUE)
                .values(SETTING_KEY, Base64.getEncoder().encodeToString(generateKey()))
                .onConflict(SETTING.KEY)
                .doNothing()
                .execute();
        return readStoredKeys(main).orElseThrow(() -> new StartupException("The session key inserted into"
                + " main.setting ('" + SETTING_KEY + "') cannot be read back; is another process deleting it?"));
    }

    private static Optional<String> readStoredKeys(DSLContext main) {
        return main.select(SETTING.VALUE)
                .from(SETTING)
                .where(SETTING.KEY.eq(SETTING_KEY))
                .fetchOptional(SETTING.VALUE);
    }

    /**
     * Parses comma-separated base64 (or base64url) keys of at least 32 bytes each. Messages name {@code source}
     * and the key's position, never the key itself: it is a secret.
     *
     * @throws ConfigException saying which key is wrong and how to make a good one
     */
    public static KeyRing parse(String source, String text) {
        List<byte[]> secrets = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] parts = text.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            String which = source + (parts.length > 1 ? " key " + (i + 1) + " of " + parts.length : "");
            byte[] secret = decode(part);
            if (part.isEmpty()) {
                problems.add(which + " is empty; give comma-separated base64 keys, the signing key first");
            } else if (secret == null) {
                problems.add(which + " is not base64; generate a key with: openssl rand -base64 32");
            } else if (secret.length < MIN_KEY_BYTES) {
                problems.add(which + " has " + secret.length + " bytes, at least " + MIN_KEY_BYTES
                        + " are needed; generate a key with: openssl rand -base64 32");
            } else {
                secrets.add(secret);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new KeyRing(secrets);
    }

    /** Standard or URL-safe base64, padding optional; null when it is neither. */
    private static byte[] decode(String text) {
        try {
            return Base64.getDecoder().decode(text.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException notBase64) {
            return null; // the caller reports it, naming the setting and the key's position
        }
    }

    /** The HMAC of {@code data} under the signing key. */
    public byte[] mac(byte[] data) {
        return mac(keys.getFirst(), data);
    }

    /** True when {@code mac} is the HMAC of {@code data} under any key of the ring; compared in constant time. */
    public boolean verify(byte[] data, byte[] mac) {
        boolean matched = false;
        for (Key key : keys) {
            matched |= MessageDigest.isEqual(mac(key, data), mac); // no early exit: time does not tell which key
        }
        return matched;
    }

    /**
     * {@code payload.keyId.mac}: the payload in clear, the signing key's id and the base64url HMAC of
     * {@code payload.keyId}. The payload must be cookie-safe text; it may contain dots.
     */
    public String sign(String payload) {
        Key key = keys.getFirst();
        String signed = payload + "." + key.id();
        return signed + "." + BASE64URL.encodeToString(mac(key, signed.getBytes(StandardCharsets.UTF_8)));
    }

    /** The payload of a token from {@link #sign}, if a key of this ring signed it; empty for anything else. */
    public Optional<String> verified(String token) {
        var tail = TOKEN_TAIL.matcher(token);
        if (!tail.find()) {
            return Optional.empty();
        }
        String signed = token.substring(0, tail.start(2) - 1);
        byte[] sent = Base64.getUrlDecoder().decode(tail.group(2));
        for (Key key : keys) {
            if (key.id().equals(tail.group(1))
                    && MessageDigest.isEqual(mac(key, signed.getBytes(StandardCharsets.UTF_8)), sent)) {
                return Optional.of(token.substring(0, tail.start()));
            }
        }
        return Optional.empty();
    }

    /** The ids of the keys, signing key first: safe to log, and equal on every instance that shares the keys. */
    public List<String> keyIds() {
        return keys.stream().map(Key::id).toList();
    }

    public String signingKeyId() {
        return keys.getFirst().id();
    }

    @Override
    public String toString() {
        return "KeyRing" + keyIds(); // never the keys
    }

    private static byte[] mac(Key key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe, and cheap to make
            mac.init(key.secret());
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has " + ALGORITHM + ", but this one refused it", e);
        }
    }

    private static String idOf(byte[] secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret);
            return BASE64URL.encodeToString(Arrays.copyOf(hash, KEY_ID_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256, but this one refused it", e);
        }
    }
}
