package org.parley.moderation;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one post is checked against, read in one statement: the ban that applies (a refusing one before a shadow
 * one, never an expired one or another site's), and the site's rules and the author's standing beside it, for each
 * combination of what is known of the author.
 */
class PostingFactsIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static ConsoleUsers users;
    private static DSLContext main;
    private static long site;
    private static long otherSite;
    private static long mod;
    private static long author;

    @BeforeAll
    static void start() {
        users = new ConsoleUsers(server);
        main = server.parley().databases().main();
        site = server.site().id();
        otherSite = users.site("facts-other", "Other");
        mod = users.account("facts-mod@example.com", "Mod");
        author = users.account("facts-author@example.com", "Author");
    }

    @Test
    void theRefusingBanWinsOverTheShadowOneAndExpiredOrOtherSitesBansDoNotApply() {
        Bans bans = new Bans(main);
        PostingFacts facts = new PostingFacts(main);
        assertThat(facts.read(site, author, "facts-author@example.com", "198.51.100.7").ban()).isEmpty();

        bans.create(new Bans.NewBan(site, "email", "facts-author@example.com", "shadowed", null, true), mod);
        bans.create(new Bans.NewBan(site, "ip", "198.51.100.0/24", "expired", -1, false), mod);
        bans.create(new Bans.NewBan(otherSite, "account", Long.toString(author), "elsewhere", null, false), mod);
        // the email matches whatever its case; the expired range and the other site's ban do not count
        var shadow = facts.read(site, author, "Facts-Author@Example.com", "198.51.100.7").ban();
        assertThat(shadow).hasValueSatisfying(b -> assertThat(b.reason()).isEqualTo("shadowed"));
        assertThat(shadow.get().shadow()).isTrue();

        bans.create(new Bans.NewBan(site, "ip", "198.51.100.0/24", "flooding", 30, false), mod);
        assertThat(facts.read(site, author, "facts-author@example.com", "198.51.100.7").ban())
                .hasValueSatisfying(b -> assertThat(b.reason()).as("refusing before shadow").isEqualTo("flooding"));
        // a guest known only by the address, and one known by nothing that matches
        assertThat(facts.read(site, null, null, "198.51.100.200").ban()).map(Bans.Ban::kind).hasValue("ip");
        assertThat(facts.read(site, null, null, "203.0.113.1").ban()).isEmpty();
        assertThat(facts.read(site, null, null, null).ban()).isEmpty();

        bans.create(new Bans.NewBan(site, "account", Long.toString(author), "by account", null, false), mod);
        assertThat(facts.read(site, author, null, null).ban()).map(Bans.Ban::reason).hasValue("by account");
    }

    @Test
    void theSitesRulesAndTheAuthorsStandingComeWithIt() {
        long ruled = users.site("facts-rules", "Ruled");
        SiteRules rules = new SiteRules(main);
        rules.addWord(ruled, "forbidden", "reject", mod);
        rules.addWord(ruled, "dubious", "pending", mod);
        main.execute("UPDATE main.site SET max_links = 2, first_comment_pending = true WHERE id = " + ruled);
        long trusted = users.account("facts-trusted@example.com", "Trusted");
        rules.trust(ruled, trusted, mod);

        var member = new PostingFacts(main).read(ruled, trusted, "facts-trusted@example.com", "192.0.2.1");
        assertThat(member.trusted()).isTrue();
        assertThat(member.maxLinks()).isEqualTo(2);
        assertThat(member.firstCommentPending()).isTrue();
        assertThat(member.reject()).extracting(java.util.regex.Pattern::pattern).containsExactly("forbidden");
        assertThat(member.holdSources()).containsExactly("dubious");
        assertThat(member.ban()).isEmpty();

        var guest = new PostingFacts(main).read(ruled, null, "guest@example.com", "192.0.2.1");
        assertThat(guest.trusted()).isFalse();
        assertThat(guest.known()).isFalse();
        assertThat(guest.reject()).hasSize(1);
    }
}
