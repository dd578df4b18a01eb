package org.parley;

import org.jooq.DSLContext;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.site.SiteRepository;
import org.parley.web.Requests;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What a brand-new installation needs to be usable: a site named "default" and an administrator. Runs at every
 * start, does nothing once both exist. An advisory lock makes two instances starting on a fresh database agree.
 */
final class FirstRun {
    static final String DEFAULT_SITE_TITLE = "Default site";
    private static final String LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('parley.first-run'))";

    /** The administrator created by this run, with the password that is shown once and never stored in clear. */
    record CreatedAdmin(String email, String password) {
    }

    private FirstRun() {
    }

    static Optional<CreatedAdmin> ensureDefaults(DSLContext main, URI publicUrl, String adminEmail) {
        return main.transactionResult(tx -> {
            DSLContext dsl = tx.dsl();
            dsl.execute(LOCK_SQL);
            var sites = new SiteRepository(dsl);
            if (sites.all().isEmpty()) {
                sites.create(SiteRepository.DEFAULT_NAME, DEFAULT_SITE_TITLE, List.of(Requests.originOf(publicUrl)));
            }
            var accounts = new AccountRepository(dsl);
            if (accounts.anyAdministrator()) {
                return Optional.empty();
            }
            String password = Passwords.generate();
            accounts.createFirstAdministrator(adminEmail, "Administrator", Passwords.hash(password));
            return Optional.of(new CreatedAdmin(adminEmail, password));
        });
    }
}
