package org.parley.api;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.parley.cache.Cache;
import org.parley.cache.ObjectCache;
import org.parley.cache.TextRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.parley.db.main.Tables.API_KEY;

/**
 * A site's API keys: made (the key is returned once and only its SHA-256 kept), listed, revoked, and recognised
 * on requests. Recognising a key is one cached lookup by its hash (revoking drops the cached entry, so every
 * instance refuses the key at its next request); its last use is written at most once a minute per instance.
 */
public final class ApiKeys {
    public static final String PREFIX = "prk_";
    /** A site's limit: keys are for a few integrations, not one per user. */
    public static final int MAX_PER_SITE = 20;
    private static final Duration LAST_USE_EVERY = Duration.ofMinutes(1);
    private static final Duration CACHE_TTL = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new key and the only time its secret is seen. */
    public record Created(ApiKey key, String secret) {
    }

    private final DSLContext main;
    private final ObjectCache<ApiKey> byHash;
    private final Clock clock;
    private final Map<Long, Instant> lastUseWritten = new ConcurrentHashMap<>();

    public ApiKeys(DSLContext main, Cache cache, Clock clock) {
        this.main = main;
        this.clock = clock;
        this.byHash = new ObjectCache<>(cache, "api-key", 1, CACHE_TTL, ApiKeys::encode, ApiKeys::decode);
    }

    public Created create(long siteId, String name, Set<ApiKey.Scope> scopes, long createdBy) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiKey key = main.insertInto(API_KEY)
                .set(API_KEY.SITE_ID, siteId)
                .set(API_KEY.NAME, name)
                .set(API_KEY.PREFIX, secret.substring(0, PREFIX.length() + 6))
                .set(API_KEY.HASH, sha256(secret))
                .set(API_KEY.SCOPES, scopes.stream().sorted().map(ApiKey.Scope::wireName).toArray(String[]::new))
                .set(API_KEY.CREATED_BY, createdBy)
                .returning()
                .fetchSingle(ApiKeys::toKey);
        return new Created(key, secret);
    }

    /** The site's keys, revoked ones last. */
    public List<ApiKey> of(long siteId) {
        return main.selectFrom(API_KEY).where(API_KEY.SITE_ID.eq(siteId))
                .orderBy(API_KEY.REVOKED_AT.isNotNull(), API_KEY.ID)
                .fetch(ApiKeys::toKey);
    }

    public Optional<ApiKey> one(long siteId, long id) {
        return main.selectFrom(API_KEY).where(API_KEY.ID.eq(id)).and(API_KEY.SITE_ID.eq(siteId))
                .fetchOptional(ApiKeys::toKey);
    }

    /** @return false when there is no such key of the site, or it was revoked already */
    public boolean revoke(long siteId, long id) {
        byte[] hash = main.update(API_KEY)
                .set(API_KEY.REVOKED_AT, DSL.currentOffsetDateTime())
                .where(API_KEY.ID.eq(id)).and(API_KEY.SITE_ID.eq(siteId)).and(API_KEY.REVOKED_AT.isNull())
                .returning(API_KEY.HASH)
                .fetchOptional(API_KEY.HASH)
                .orElse(null);
        if (hash == null) {
            return false;
        }
        byHash.invalidate(HexFormat.of().formatHex(hash));
        return true;
    }

    /** The key a request presented, if it is one of ours and not revoked; notes its use. */
    public Optional<ApiKey> recognise(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        byte[] hash = sha256(secret);
        Optional<ApiKey> key = byHash.get(HexFormat.of().formatHex(hash), () -> main.selectFrom(API_KEY)
                        .where(API_KEY.HASH.eq(hash)).fetchOptional(ApiKeys::toKey))
                .filter(k -> !k.revoked());
        key.ifPresent(this::noteUse);
        return key;
    }

    /** At most one write a minute per key and instance: "last used" is for people, to the minute. */
    private void noteUse(ApiKey key) {
        Instant now = clock.instant();
        Instant written = lastUseWritten.get(key.id());
        if (written != null && written.plus(LAST_USE_EVERY).isAfter(now)) {
            return;
        }
        lastUseWritten.put(key.id(), now);
        main.update(API_KEY).set(API_KEY.LAST_USED_AT, DSL.currentOffsetDateTime())
                .where(API_KEY.ID.eq(key.id())).execute();
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static ApiKey toKey(Record r) {
        Set<ApiKey.Scope> scopes = EnumSet.noneOf(ApiKey.Scope.class);
        Arrays.stream(r.get(API_KEY.SCOPES)).map(ApiKey.Scope::of).flatMap(Optional::stream).forEach(scopes::add);
        return new ApiKey(r.get(API_KEY.ID), r.get(API_KEY.SITE_ID), r.get(API_KEY.NAME), r.get(API_KEY.PREFIX),
                scopes, r.get(API_KEY.CREATED_AT), r.get(API_KEY.LAST_USED_AT), r.get(API_KEY.REVOKED_AT));
    }

    /** Only what recognising needs is cached: id, site and scopes (a revoked key is never cached as usable). */
    private static String encode(ApiKey k) {
        return TextRecord.of(k.id(), k.siteId(), k.name(), k.prefix(),
                k.scopes().stream().sorted().map(ApiKey.Scope::wireName).collect(Collectors.joining(" ")),
                k.revoked());
    }

    private static ApiKey decode(String text) {
        List<String> f = TextRecord.parse(text, 6);
        Set<ApiKey.Scope> scopes = EnumSet.noneOf(ApiKey.Scope.class);
        Arrays.stream(f.get(4).split(" ")).map(ApiKey.Scope::of).flatMap(Optional::stream).forEach(scopes::add);
        return new ApiKey(Long.parseLong(f.get(0)), Long.parseLong(f.get(1)), f.get(2), f.get(3), scopes, null, null,
                TextRecord.bool(f.get(5)) ? OffsetDateTime.MIN : null);
    }
}
