package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log's filters and keyset pages, over entries made at known times by known moderators. */
class AuditFilterIT {
    private static final Pattern ROW = Pattern.compile("id=\"audit-(\\d+)\"");
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static ConsoleUsers users;
    private static long site;
    private static long otherSite;
    private static long ada;

    @BeforeAll
    static void start() {
        users = new ConsoleUsers(server);
        site = server.site().id();
        otherSite = users.site("other", "Other site");
        ada = users.moderator("ada@example.com", "Ada", site);
        long bob = users.moderator("bob@example.com", "Bob", site, otherSite);
        entry("2026-01-10 09:00", ada, site, "approve", "comment:101", "pending", "approved");
        entry("2026-01-11 23:59", bob, site, "spam", "comment:102", "approved", "spam");
        entry("2026-01-12 00:00", ada, site, "ban", "ban:7", null, "email x@example.com (rude)");
        entry("2026-01-13 12:00", bob, otherSite, "approve", "comment:999", "pending", "approved");
        // 130 entries for paging, all on one day
        server.mainSql("INSERT INTO main.audit_log (at, actor_id, site_id, action, target) "
                + "SELECT timestamptz '2026-02-01 10:00+00' + make_interval(secs => i), " + bob + ", " + site
                + ", 'reject', 'comment:' || (5000 + i) FROM generate_series(1, 130) AS i");
    }

    @Test
    void filtersByModeratorActionAndTarget() {
        WebClient mod = users.signedIn("ada@example.com");
        String byAda = mod.get("/admin/audit?moderator=" + ada).body();
        assertThat(byAda).contains("comment:101", "ban:7", "— → email x@example.com (rude)").doesNotContain("comment:102");
        String approvals = mod.get("/admin/audit?action=approve").body();
        assertThat(approvals).contains("comment:101").doesNotContain("ban:7", "comment:102")
                .doesNotContain("comment:999"); // Ada does not moderate the other site
        assertThat(mod.get("/admin/audit?target=ban%3A").body()).contains("ban:7").doesNotContain("comment:10");
        assertThat(mod.get("/admin/audit?target=comment%3A102").body()).contains("comment:102").doesNotContain("comment:101");
    }

    @Test
    void filtersByAnInclusiveRangeOfUtcDays() {
        String page = users.signedIn("ada@example.com").get("/admin/audit?from=2026-01-11&to=2026-01-11").body();
        assertThat(ids(page)).hasSize(1);
        assertThat(page).contains("comment:102", "2026-01-11 23:59:00").doesNotContain("comment:101", "ban:7");
        String open = users.signedIn("ada@example.com").get("/admin/audit?from=2026-01-12&to=2026-01-31").body();
        assertThat(open).contains("ban:7").doesNotContain("comment:102", "comment:50");
    }

    @Test
    void aBadFilterIsShownBesideItsFieldWithNoEntries() {
        HttpResponse<String> bad = users.signedIn("ada@example.com").get("/admin/audit?from=yesterday&to=2026-01-01");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"from-error\"", "&#39;yesterday&#39; is not a day like 2026-11-25.",
                "No moderation actions match.");
        HttpResponse<String> backwards = users.signedIn("ada@example.com").get("/admin/audit?from=2026-01-12&to=2026-01-10");
        assertThat(backwards.body()).contains("id=\"to-error\"", "The last day comes on or after the first day.");
        HttpResponse<String> forged = users.signedIn("ada@example.com").get("/admin/audit?site=" + otherSite);
        assertThat(forged.statusCode()).isEqualTo(404);
    }

    @Test
    void pagesByKeysetKeepingTheFilters() {
        WebClient mod = users.signedIn("bob@example.com");
        String first = mod.get("/admin/audit?action=reject&site=" + site).body();
        List<Long> one = ids(first);
        assertThat(one).hasSize(100).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        Matcher older = Pattern.compile("href=\"([^\"]*before=\\d+)\">Older").matcher(first);
        assertThat(older.find()).isTrue();
        String next = older.group(1).replace("&amp;", "&");
        assertThat(next).contains("action=reject", "site=" + site);
        List<Long> two = ids(mod.get(next).body());
        assertThat(two).hasSize(30);
        assertThat(two.getFirst()).isLessThan(one.getLast());
    }

    private static void entry(String at, long actor, long siteId, String action, String target, String before, String after) {
        server.parley().databases().main().execute("INSERT INTO main.audit_log (at, actor_id, site_id, action, target, before, after) "
                + "VALUES (?::timestamptz, ?, ?, ?, ?, ?, ?)", at + "+00", actor, siteId, action, target, before, after);
    }

    private static List<Long> ids(String html) {
        return ConsoleUsers.ids(ROW, html);
    }
}
