package org.parley.account;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.parley.cache.Cache;
import org.parley.cache.NoCache;
import org.parley.cache.ObjectCache;
import org.parley.cache.TextRecord;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.parley.db.main.Tables.ACCOUNT;

/**
 * Accounts live in the main schema. Emails are unique regardless of case. {@link #byId} (the signed-in viewer,
 * on every request) goes through the object cache for {@link #CACHE_TTL}; {@link #invalidate} after a change.
 * Credentials are never cached: a password hash has no business in a shared cache.
 */
public final class AccountRepository {
    /** Short, so a change made by hand (an administrator flag) shows within a minute. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(60);
    /** Goes into the cache keys: bump it whenever encode's output changes. */
    private static final int CACHE_FORMAT = 3;
    private static final int ACCOUNT_FIELDS = 7;

    private final DSLContext main;
    private final ObjectCache<Account> byId;

    /** Without a cache: every lookup reads the database (first run, tools, tests). */
    public AccountRepository(DSLContext main) {
        this(main, NoCache.INSTANCE);
    }

    public AccountRepository(DSLContext main, Cache cache) {
        this.main = main;
        this.byId = new ObjectCache<>(cache, "account", CACHE_FORMAT, CACHE_TTL, AccountRepository::encode,
                AccountRepository::decode);
    }

    public boolean anyAdministrator() {
        return main.fetchExists(ACCOUNT, ACCOUNT.IS_ADMIN.isTrue());
    }

    public long createAdministrator(String email, String displayName, String passwordHash) {
        return insert(email, displayName, passwordHash, true);
    }

    /**
     * The first administrator, whose password Parley generated and printed once: marked so, until a password of
     * their own replaces it ({@link #stillOnGeneratedPassword}).
     */
    public long createFirstAdministrator(String email, String displayName, String generatedPasswordHash) {
        long id = insert(email, displayName, generatedPasswordHash, true);
        main.update(ACCOUNT).set(ACCOUNT.PASSWORD_GENERATED, true).where(ACCOUNT.ID.eq(id)).execute();
        return id;
    }

    /** Whether the account still signs in with the password Parley generated at first start. */
    public boolean stillOnGeneratedPassword(long id) {
        return main.fetchExists(ACCOUNT, ACCOUNT.ID.eq(id).and(ACCOUNT.PASSWORD_GENERATED));
    }

    /** @return the new account's id, or empty when the email is taken */
    public Optional<Long> create(String email, String displayName, String passwordHash) {
        return create(email, displayName, passwordHash, null, (tx, id) -> { });
    }

    /**
     * Creates the account, reading mails in {@code language} (its browser's), and runs {@code alsoInTransaction}
     * (the verification mail into the outbox) in the same transaction: both happen or neither.
     *
     * @return the new account's id, or empty when the email is taken
     */
    public Optional<Long> create(String email, String displayName, String passwordHash, java.util.Locale language,
                                 java.util.function.ObjLongConsumer<DSLContext> alsoInTransaction) {
        if (byEmail(email).isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(main.transactionResult(tx -> {
                DSLContext db = DSL.using(tx);
                long id = db.insertInto(ACCOUNT, ACCOUNT.EMAIL, ACCOUNT.DISPLAY_NAME, ACCOUNT.PASSWORD_HASH,
                                ACCOUNT.LANGUAGE)
                        .values(email, displayName, passwordHash, languageTag(language))
                        .returning(ACCOUNT.ID)
                        .fetchOne(ACCOUNT.ID);
                alsoInTransaction.accept(db, id);
                return id;
            }));
        } catch (org.jooq.exception.IntegrityConstraintViolationException e) {
            return Optional.empty(); // someone signed up with the same email a moment ago
        }
    }

    /** Runs {@code work} in one transaction on the main database (an account change and its mail). */
    public void inTransaction(java.util.function.Consumer<DSLContext> work) {
        main.transaction(tx -> work.accept(DSL.using(tx)));
    }

    /** The password hash of a Parley account (not SSO), to bind a reset link to it. */
    Optional<String> passwordHash(long id) {
        return main.select(ACCOUNT.PASSWORD_HASH).from(ACCOUNT)
                .where(ACCOUNT.ID.eq(id)).and(ACCOUNT.SSO_SITE_ID.isNull()).and(ACCOUNT.PASSWORD_HASH.isNotNull())
                .fetchOptional(ACCOUNT.PASSWORD_HASH);
    }

    /**
     * Sets a new password if the old hash is still {@code expectedHash}: a reset link changes the password once,
     * even when it is submitted twice at the same moment.
     */
    Optional<Account> replacePassword(long id, String expectedHash, String newHash) {
        var changed = main.update(ACCOUNT)
                .set(ACCOUNT.PASSWORD_HASH, newHash)
                .set(ACCOUNT.PASSWORD_GENERATED, false)
                // a new password signs every other browser out: whoever knew the old one loses their session too
                .set(ACCOUNT.SESSION_GENERATION, ACCOUNT.SESSION_GENERATION.plus(1))
                .where(ACCOUNT.ID.eq(id)).and(ACCOUNT.PASSWORD_HASH.eq(expectedHash))
                .returning()
                .fetchOptional();
        invalidate(id);
        return changed.map(AccountRepository::toAccount);
    }

    /** A new display name (the caller shows it on the account's comments too). */
    public void rename(long id, String name) {
        main.update(ACCOUNT).set(ACCOUNT.DISPLAY_NAME, name).where(ACCOUNT.ID.eq(id)).execute();
        invalidate(id);
    }

    public void setRepliesByDefault(long id, boolean on) {
        main.update(ACCOUNT).set(ACCOUNT.REPLIES_BY_DEFAULT, on).where(ACCOUNT.ID.eq(id)).execute();
        invalidate(id);
    }

    /** "Sign out everywhere": every session of the account signed in before now stops counting. */
    public Account signOutEverywhere(long id) {
        Account account = main.update(ACCOUNT)
                .set(ACCOUNT.SESSION_GENERATION, ACCOUNT.SESSION_GENERATION.plus(1))
                .where(ACCOUNT.ID.eq(id))
                .returning()
                .fetchSingle(AccountRepository::toAccount);
        invalidate(id);
        return account;
    }

    /** Checks the account's current password (before a change that needs it). */
    public boolean passwordMatches(long id, String password) {
        return passwordHash(id).filter(hash -> Passwords.matches(password, hash)).isPresent();
    }

    /** Replaces the password when {@code current} is right; signs every other session out. */
    public Optional<Account> changePassword(long id, String current, String next) {
        return passwordHash(id)
                .filter(hash -> Passwords.matches(current, hash))
                .flatMap(hash -> replacePassword(id, hash, Passwords.hash(next)));
    }

    /**
     * Moves the account to a new address the person proved is theirs (the link mailed there): verified at once.
     *
     * @return false when another account uses the address by now
     */
    public boolean changeEmail(long id, String email) {
        try {
            int changed = main.update(ACCOUNT)
                    .set(ACCOUNT.EMAIL, email)
                    .set(ACCOUNT.EMAIL_VERIFIED_AT, DSL.currentOffsetDateTime())
                    .where(ACCOUNT.ID.eq(id)).and(ACCOUNT.DELETED_AT.isNull())
                    .execute();
            invalidate(id);
            return changed == 1;
        } catch (org.jooq.exception.IntegrityConstraintViolationException e) {
            return false;
        }
    }

    /**
     * The person deleted their account: the row stays (the audit log names it) but keeps nothing of them, and
     * every session of it ends.
     */
    public void scrub(long id, String replacementName) {
        main.update(ACCOUNT)
                .setNull(ACCOUNT.EMAIL)
                .setNull(ACCOUNT.PASSWORD_HASH)
                .setNull(ACCOUNT.EMAIL_VERIFIED_AT)
                .setNull(ACCOUNT.AVATAR_URL)
                .setNull(ACCOUNT.PROFILE_URL)
                .set(ACCOUNT.DISPLAY_NAME, replacementName)
                .set(ACCOUNT.IS_ADMIN, false)
                .set(ACCOUNT.DELETED_AT, DSL.currentOffsetDateTime())
                .set(ACCOUNT.SESSION_GENERATION, ACCOUNT.SESSION_GENERATION.plus(1))
                .where(ACCOUNT.ID.eq(id))
                .execute();
        invalidate(id);
    }

    /** When the address was verified (null: not yet), for the account page and the data export. */
    public java.time.OffsetDateTime verifiedAt(long id) {
        return main.select(ACCOUNT.EMAIL_VERIFIED_AT).from(ACCOUNT).where(ACCOUNT.ID.eq(id))
                .fetchOne(ACCOUNT.EMAIL_VERIFIED_AT);
    }

    public java.time.OffsetDateTime createdAt(long id) {
        return main.select(ACCOUNT.CREATED_AT).from(ACCOUNT).where(ACCOUNT.ID.eq(id)).fetchOne(ACCOUNT.CREATED_AT);
    }

    /** The account's current address, to check a verification link against. */
    Optional<String> emailOf(long id) {
        return main.select(ACCOUNT.EMAIL).from(ACCOUNT).where(ACCOUNT.ID.eq(id)).fetchOptional(ACCOUNT.EMAIL);
    }

    /** Marks the address verified (the first time counts); true when the account exists. */
    boolean markVerified(long id) {
        return main.update(ACCOUNT)
                .set(ACCOUNT.EMAIL_VERIFIED_AT, DSL.coalesce(ACCOUNT.EMAIL_VERIFIED_AT, DSL.currentOffsetDateTime()))
                .where(ACCOUNT.ID.eq(id))
                .execute() == 1;
    }

    /** The language the person reads Parley in, from their own browser (BCP 47), for the mails they get. */
    public void setLanguage(long id, java.util.Locale locale) {
        main.update(ACCOUNT).set(ACCOUNT.LANGUAGE, languageTag(locale)).where(ACCOUNT.ID.eq(id)).execute();
    }

    /** The account's language for mails; English when it is not known. */
    public java.util.Locale languageOf(long id) {
        String tag = main.select(ACCOUNT.LANGUAGE).from(ACCOUNT).where(ACCOUNT.ID.eq(id)).fetchOne(ACCOUNT.LANGUAGE);
        return tag == null ? java.util.Locale.ENGLISH : java.util.Locale.forLanguageTag(tag);
    }

    /** A browser's language as stored: its BCP 47 tag, short, never empty. */
    public static String languageTag(java.util.Locale locale) {
        String tag = locale == null ? "" : locale.toLanguageTag();
        return tag.isEmpty() || tag.equals("und") || tag.length() > 35 ? "en" : tag;
    }

    /** Whether the account's address has been verified. */
    public boolean verified(long id) {
        return main.fetchExists(ACCOUNT, ACCOUNT.ID.eq(id).and(ACCOUNT.EMAIL_VERIFIED_AT.isNotNull()));
    }

    public Optional<Account> byId(long id) {
        return byId.get(id, () -> main.selectFrom(ACCOUNT)
                .where(ACCOUNT.ID.eq(id))
                .fetchOptional()
                .map(AccountRepository::toAccount));
    }

    /** Forgets the cached account: call after a write that changes it. */
    public void invalidate(long id) {
        byId.invalidate(id);
    }

    /** The account and its password hash, for signing in. */
    public Optional<Credentials> credentials(String email) {
        return main.selectFrom(ACCOUNT)
                .where(DSL.lower(ACCOUNT.EMAIL).eq(email.toLowerCase(java.util.Locale.ROOT)))
                .and(ACCOUNT.SSO_SITE_ID.isNull())
                .fetchOptional()
                .map(r -> new Credentials(toAccount(r), r.get(ACCOUNT.PASSWORD_HASH)));
    }

    public Optional<Account> byEmail(String email) {
        return credentials(email).map(Credentials::account);
    }

    /** What signing in compares against; never leaves the account package. */
    public record Credentials(Account account, String passwordHash) {
    }

    /**
     * The site's account for a host site's user, made at their first sign-in and brought up to date at each later
     * one (name, email, avatar, profile), in one statement.
     */
    public Account signedInBySso(long siteId, String ssoId, String name, String email, String avatarUrl,
                                 String profileUrl) {
        var id = main.insertInto(ACCOUNT, ACCOUNT.SSO_SITE_ID, ACCOUNT.SSO_ID, ACCOUNT.DISPLAY_NAME, ACCOUNT.EMAIL,
                        ACCOUNT.AVATAR_URL, ACCOUNT.PROFILE_URL)
                .values(siteId, ssoId, name, email, avatarUrl, profileUrl)
                .onConflict(ACCOUNT.SSO_SITE_ID, ACCOUNT.SSO_ID).where(ACCOUNT.SSO_SITE_ID.isNotNull())
                .doUpdate()
                .set(ACCOUNT.DISPLAY_NAME, DSL.excluded(ACCOUNT.DISPLAY_NAME))
                .set(ACCOUNT.EMAIL, DSL.excluded(ACCOUNT.EMAIL))
                .set(ACCOUNT.AVATAR_URL, DSL.excluded(ACCOUNT.AVATAR_URL))
                .set(ACCOUNT.PROFILE_URL, DSL.excluded(ACCOUNT.PROFILE_URL))
                .returning(ACCOUNT.ID, ACCOUNT.SESSION_GENERATION, ACCOUNT.REPLIES_BY_DEFAULT)
                .fetchSingle();
        invalidate(id.getId());
        return new Account(id.getId(), email, name, false, siteId, id.getSessionGeneration(), id.getRepliesByDefault());
    }

    private long insert(String email, String displayName, String passwordHash, boolean admin) {
        return main.insertInto(ACCOUNT, ACCOUNT.EMAIL, ACCOUNT.DISPLAY_NAME, ACCOUNT.PASSWORD_HASH, ACCOUNT.IS_ADMIN)
                .values(email, displayName, passwordHash, admin)
                .returning(ACCOUNT.ID)
                .fetchOne(ACCOUNT.ID);
    }

    private static String encode(Account a) {
        return TextRecord.of(a.id(), a.email() == null ? "" : a.email(), a.displayName(), a.admin(),
                a.ssoSiteId() == null ? "" : a.ssoSiteId(), a.sessionGeneration(), a.repliesByDefault());
    }

    private static Account decode(String text) {
        List<String> f = TextRecord.parse(text, ACCOUNT_FIELDS);
        return new Account(Long.parseLong(f.get(0)), f.get(1).isEmpty() ? null : f.get(1), f.get(2),
                TextRecord.bool(f.get(3)), f.get(4).isEmpty() ? null : Long.parseLong(f.get(4)),
                Integer.parseInt(f.get(5)), TextRecord.bool(f.get(6)));
    }

    private static Account toAccount(Record r) {
        return new Account(r.get(ACCOUNT.ID), r.get(ACCOUNT.EMAIL), r.get(ACCOUNT.DISPLAY_NAME), r.get(ACCOUNT.IS_ADMIN),
                r.get(ACCOUNT.SSO_SITE_ID), r.get(ACCOUNT.SESSION_GENERATION), r.get(ACCOUNT.REPLIES_BY_DEFAULT));
    }
}
