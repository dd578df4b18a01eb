package org.parley;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.site.SiteRepository;
import org.parley.sso.SsoSettingsRepository;
import org.parley.testing.TestServer;

import java.util.HashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parley site NAME [--set KEY=VALUE]}: the console's settings on the command line, checked the same way. */
class SiteCommandIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void settingsAreShownAndChangedAllTogether() {
        new SiteRepository(server.parley().databases().main()).create("cli-site", "CLI site", List.of());

        CommandRun set = parley("site", "cli-site", "--set", "origins=https://blog.example.com, https://www.blog.example.com",
                "--set", "sso-secret=0123456789abcdef0123456789abcdef", "--set", "sso-login-url=https://blog.example.com/login",
                "--set", "premoderation=true");

        assertThat(set.status()).as(set.stderr()).isZero();
        assertThat(set.stdout()).contains("changed origins:  → https://blog.example.com https://www.blog.example.com",
                "changed SSO secret: none → set", "changed pre-moderation: false → true",
                "origins                https://blog.example.com, https://www.blog.example.com",
                "sso-secret             (set)", "sso-login-url          https://blog.example.com/login",
                "premoderation          true").doesNotContain("0123456789abcdef");
        long id = new SiteRepository(server.parley().databases().main()).named("cli-site").id();
        var sso = new SsoSettingsRepository(server.parley().databases().main()).of(id);
        assertThat(sso.secret()).isEqualTo("0123456789abcdef0123456789abcdef");

        CommandRun shown = parley("site", "cli-site");
        assertThat(shown.stdout()).contains("Site cli-site:", "guests-allowed         true", "sso-max-age-minutes    120");

        CommandRun off = parley("site", "cli-site", "--set", "sso-secret=");
        assertThat(off.stdout()).contains("changed SSO secret: set → none", "(none: single sign-on is off)");

        CommandRun wording = parley("site", "cli-site", "--set", "count-many={num} replies");
        assertThat(wording.stdout()).contains("changed count wording, many: the language's → \"{num} replies\"",
                "count-many             {num} replies");
    }

    @Test
    void aBadValueIsNamedAndNothingIsSaved() {
        new SiteRepository(server.parley().databases().main()).create("cli-bad", "Bad", List.of("https://kept.example"));

        CommandRun bad = parley("site", "cli-bad", "--set", "origins=https://new.example", "--set", "sso-secret=short",
                "--set", "max-links=lots");

        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.stderr()).contains("sso-secret: The secret is 32 to 200", "max-links: The link limit is a number",
                "nothing was saved").doesNotContain("Exception");
        assertThat(parley("site", "cli-bad").stdout()).contains("https://kept.example").doesNotContain("new.example");

        assertThat(parley("site", "cli-bad", "--set", "colour=blue").stderr())
                .contains("there is no setting 'colour'; the settings are display-name, guests-allowed");
        assertThat(parley("site", "cli-bad", "--set", "closed=maybe").stderr())
                .contains("closed is true or false, not 'maybe'.");
        assertThat(parley("site", "nowhere").stderr()).contains("There is no site named 'nowhere'");
    }

    @Test
    void moderatorsAndOwnersAreAppointedAndRemovedByEmail() {
        new SiteRepository(server.parley().databases().main()).create("cli-team", "Team", List.of());
        var accounts = new org.parley.account.AccountRepository(server.parley().databases().main());
        accounts.create("ann@example.com", "Ann", "x");
        accounts.create("bob@example.com", "Bob", "x");

        CommandRun added = parley("site", "cli-team", "--owner", "add", "ann@example.com", "--moderator", "add",
                "bob@example.com");

        assertThat(added.status()).as(added.stderr()).isZero();
        assertThat(added.stdout()).contains("bob@example.com is now moderator of cli-team.",
                "ann@example.com is now owner of cli-team.", "Moderators:", "owner     Ann <ann@example.com>",
                "moderator Bob <bob@example.com>");

        CommandRun lastOwner = parley("site", "cli-team", "--owner", "remove", "ann@example.com");
        assertThat(lastOwner.status()).isEqualTo(2);
        assertThat(lastOwner.stderr()).contains("This is the site's last owner: make someone else an owner first.");

        assertThat(parley("site", "cli-team", "--moderator", "remove", "bob@example.com").stdout())
                .contains("bob@example.com no longer moderates cli-team.").doesNotContain("Bob <");
        // no account yet: an invitation, mailed through the outbox, that the next run can withdraw
        CommandRun invited = parley("site", "cli-team", "--moderator", "add", "nobody@example.com");
        assertThat(invited.status()).as(invited.stderr()).isZero();
        assertThat(invited.stdout()).contains("No account has the address nobody@example.com: invited by mail");
        assertThat(server.parley().databases().main().fetchValue("SELECT count(*) FROM main.outbox"
                + " WHERE payload->>'to' = 'nobody@example.com'")).isEqualTo(1L);
        assertThat(parley("site", "cli-team", "--moderator", "remove", "nobody@example.com").stdout())
                .contains("The invitation of nobody@example.com to cli-team is withdrawn.");
        assertThat(parley("site", "cli-team", "--moderator", "remove", "nobody@example.com").stderr())
                .contains("no account has the address nobody@example.com.");
        assertThat(parley("site", "cli-team", "--moderator", "promote", "bob@example.com").stderr())
                .contains("the action is add or remove, not 'promote'.");
    }

    private static CommandRun parley(String... args) {
        return CommandRun.of(new HashMap<>(server.settings()), args);
    }
}
