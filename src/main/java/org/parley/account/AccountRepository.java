package org.parley.account;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.util.Optional;

import static org.parley.db.main.Tables.ACCOUNT;

/** Accounts live in the main schema. Emails are unique regardless of case. */
public final class AccountRepository {
    private final DSLContext main;

    public AccountRepository(DSLContext main) {
        this.main = main;
    }

    public boolean anyAdministrator() {
        return main.fetchExists(ACCOUNT, ACCOUNT.IS_ADMIN.isTrue());
    }

    public long createAdministrator(String email, String displayName, String passwordHash) {
        return insert(email, displayName, passwordHash, true);
    }

    /** @return the new account's id, or empty when the email is taken */
    public Optional<Long> create(String email, String displayName, String passwordHash) {
        if (byEmail(email).isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(insert(email, displayName, passwordHash, false));
        } catch (org.jooq.exception.IntegrityConstraintViolationException e) {
            return Optional.empty(); // someone signed up with the same email a moment ago
        }
    }

    public Optional<Account> byId(long id) {
        return main.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(id)).fetchOptional().map(AccountRepository::toAccount);
    }

    /** The account and its password hash, for signing in. */
    public Optional<Credentials> credentials(String email) {
        return main.selectFrom(ACCOUNT)
                .where(DSL.lower(ACCOUNT.EMAIL).eq(email.toLowerCase(java.util.Locale.ROOT)))
                .fetchOptional()
                .map(r -> new Credentials(toAccount(r), r.get(ACCOUNT.PASSWORD_HASH)));
    }

    public Optional<Account> byEmail(String email) {
        return credentials(email).map(Credentials::account);
    }

    /** What signing in compares against; never leaves the account package. */
    public record Credentials(Account account, String passwordHash) {
    }

    private long insert(String email, String displayName, String passwordHash, boolean admin) {
        return main.insertInto(ACCOUNT, ACCOUNT.EMAIL, ACCOUNT.DISPLAY_NAME, ACCOUNT.PASSWORD_HASH, ACCOUNT.IS_ADMIN)
                .values(email, displayName, passwordHash, admin)
                .returning(ACCOUNT.ID)
                .fetchOne(ACCOUNT.ID);
    }

    private static Account toAccount(Record r) {
        return new Account(r.get(ACCOUNT.ID), r.get(ACCOUNT.EMAIL), r.get(ACCOUNT.DISPLAY_NAME), r.get(ACCOUNT.IS_ADMIN));
    }
}
