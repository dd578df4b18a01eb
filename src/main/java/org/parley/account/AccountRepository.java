package org.parley.account;

import org.jooq.DSLContext;

import static org.parley.db.main.Tables.ACCOUNT;

/** Accounts live in the main schema. */
public final class AccountRepository {
    private final DSLContext main;

    public AccountRepository(DSLContext main) {
        this.main = main;
    }

    public boolean anyAdministrator() {
        return main.fetchExists(ACCOUNT, ACCOUNT.IS_ADMIN.isTrue());
    }

    public long createAdministrator(String email, String displayName, String passwordHash) {
        return main.insertInto(ACCOUNT, ACCOUNT.EMAIL, ACCOUNT.DISPLAY_NAME, ACCOUNT.PASSWORD_HASH, ACCOUNT.IS_ADMIN)
                .values(email, displayName, passwordHash, true)
                .returning(ACCOUNT.ID)
                .fetchOne(ACCOUNT.ID);
    }
}
