package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.account.Account;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.discussion.CommentForm;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's authorisation, its cross-shard queue, and actions that refuse to overwrite a concurrent change.
 */
class ModerationIT {
    private static final String PASSWORD = "correct horse battery";
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static long otherSite;
    private static long pendingOnDefault;
    private static long commentOnOther;

    @BeforeAll
    static void start() {
        var sites = new SiteRepository(server.parley().databases().main());
        otherSite = sites.create("other", "Other site", List.of(TestServer.ORIGIN));
        var accounts = new AccountRepository(server.parley().databases().main());
        var moderators = new Moderators(server.parley().databases().main());
        long boss = accounts.create("boss@example.com", "Boss", Passwords.hash(PASSWORD)).orElseThrow();
        server.mainSql("UPDATE main.account SET is_admin = true WHERE id = " + boss);
        accounts.create("plain@example.com", "Plain", Passwords.hash(PASSWORD)).orElseThrow();
        long mod = accounts.create("mod@example.com", "Mod", Passwords.hash(PASSWORD)).orElseThrow();
        moderators.add(server.site().id(), mod);
        long otherMod = accounts.create("othermod@example.com", "Other Mod", Passwords.hash(PASSWORD)).orElseThrow();
        moderators.add(otherSite, otherMod);

        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        pendingOnDefault = server.post(server.thread("moderated"), null, "Please approve me");
        server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
        var other = sites.byName("other").orElseThrow();
        var otherThread = new org.parley.discussion.ThreadRepository(server.parley().databases())
                .findOrCreate(other.id(), "elsewhere", TestServer.ORIGIN + "/elsewhere", "Elsewhere");
        commentOnOther = server.comments().post(other, otherThread, null,
                new org.parley.discussion.CommentForm("On the other site", null, "Guest", null), "127.0.0.1").id();
    }

    /** Every console route × every kind of visitor: only the site's moderators and administrators get in. */
    @ParameterizedTest(name = "{0} {1} as {2} → {3}")
    @CsvSource({
            "GET,  /admin/queue?site=DEFAULT, anonymous, 302",
            "GET,  /admin/queue?site=DEFAULT, plain,     403",
            "GET,  /admin/queue?site=DEFAULT, othermod,  404",
            "GET,  /admin/queue?site=DEFAULT, mod,       200",
            "GET,  /admin/queue?site=DEFAULT, boss,      200",
            "GET,  /admin/audit,              anonymous, 302",
            "GET,  /admin/audit,              plain,     403",
            "GET,  /admin/audit,              othermod,  200",
            "GET,  /admin/audit,              mod,       200",
            "GET,  /admin/audit,              boss,      200",
            "POST, /admin/comments/OTHER/spam, anonymous, 401",
            "POST, /admin/comments/OTHER/spam, plain,     403",
            "POST, /admin/comments/OTHER/spam, mod,       404",
            "POST, /admin/comments/OTHER/spam?site=DEFAULT, mod, 404",
    })
    void onlyModeratorsOfTheSiteAndAdministratorsGetIn(String method, String path, String who, int expected) {
        WebClient client = who.equals("anonymous") ? server.client() : signedIn(who + "@example.com");
        String url = path.strip().replace("DEFAULT", Long.toString(server.site().id()))
                .replace("OTHER", Long.toString(commentOnOther));
        HttpResponse<String> response;
        if (method.strip().equals("GET")) {
            response = client.get(url);
        } else {
            client.get(TestServer.embedPath("moderated")); // a page with a form, for the CSRF token
            response = client.post(url, Map.of("site", Long.toString(server.site().id())));
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        if (expected == 200 && url.contains("queue")) {
            assertThat(response.body()).doesNotContain("On the other site");
        }
    }

    @Test
    void aModeratorApprovesTheConcurrentSecondApprovalIsRefusedAndUndoWorks() {
        WebClient mod = signedIn("mod@example.com");
        String queue = mod.get("/admin/queue?queue=pending").body();
        assertThat(queue).contains("Please approve me").doesNotContain("On the other site");

        HttpResponse<String> approved = mod.post("/admin/comments/" + pendingOnDefault + "/approve",
                Map.of("expected", "pending", "return", "/admin/queue?queue=pending"));
        assertThat(approved.statusCode()).isEqualTo(302);
        assertThat(mod.follow(approved).body()).contains("approve (was pending)", "Undo")
                .doesNotContain("Please approve me");
        assertThat(server.client().get(TestServer.standalonePath("moderated")).body()).contains("Please approve me");

        // a second moderator who still saw it as pending
        WebClient boss = signedIn("boss@example.com");
        boss.get(TestServer.embedPath("moderated")); // a page with a form, for the CSRF token
        HttpResponse<String> stale = boss.post("/admin/comments/" + pendingOnDefault + "/reject",
                Map.of("expected", "pending", "return", "/admin/queue"));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("Another moderator changed this comment meanwhile: it is now approved.");

        // undo the approval: back to pending, gone from the page
        mod.get(TestServer.embedPath("moderated"));
        mod.post("/admin/comments/" + pendingOnDefault + "/hold", Map.of("expected", "approved", "return", "/admin/queue"));
        assertThat(server.client().get(TestServer.standalonePath("moderated")).body()).doesNotContain("Please approve me");

        String audit = mod.get("/admin/audit").body();
        assertThat(audit).contains("approve", "pending → approved", "hold", "approved → pending", "Mod");
    }

    @Test
    void theAuditLogCannotBeRewritten() {
        server.mainSql("INSERT INTO main.audit_log (actor_id, action, target) SELECT id, 'test', 'x' FROM main.account LIMIT 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.mainSql("DELETE FROM main.audit_log"))
                .hasMessageContaining("the audit log is append-only");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.mainSql("UPDATE main.audit_log SET action = 'x'"))
                .hasMessageContaining("the audit log is append-only");
    }

    /** One statement per physical database for the queue, however many logical shards it holds. */
    @Test
    void theQueueCostsTheSameFor8And64ShardsOnOneDatabase() {
        int[] eight = queueStatements(8);
        int[] sixtyFour = queueStatements(64);
        // viewer, their sites, site names, the queue, its tabs' counts, the authors' records and trust, the reports
        assertThat(eight[0]).isEqualTo(sixtyFour[0]).isEqualTo(8);
        // every filter, oldest first: their sites, site names, the IP range's canonical form, the queue, the counts,
        // the one guest author's record (the viewer now comes from the object cache)
        assertThat(eight[1]).isEqualTo(sixtyFour[1]).isEqualTo(6);
    }

    /** The statements of an unfiltered and of a fully filtered queue page. */
    private static int[] queueStatements(int shards) {
        try (TestServer s = TestServer.start(Map.of("PARLEY_SHARDS", Integer.toString(shards)))) {
            var accounts = new AccountRepository(s.parley().databases().main());
            long boss = accounts.create("boss@example.com", "Boss", Passwords.hash(PASSWORD)).orElseThrow();
            s.mainSql("UPDATE main.account SET is_admin = true WHERE id = " + boss);
            long member = accounts.create("member@example.com", "Member", Passwords.hash(PASSWORD)).orElseThrow();
            Account reader = new Account(member, "member@example.com", "Member", false);
            for (int i = 0; i < 20; i++) {
                // guests with and without an email, and members, some of them reported: every detail a page shows
                var thread = s.thread("t" + i);
                long id = switch (i % 3) {
                    case 0 -> s.post(thread, null, "comment " + i);
                    case 1 -> s.comments().post(s.site(), thread, null,
                            new CommentForm("comment " + i, null, "guest", "g" + i + "@example.com"), "127.0.0.1").id();
                    default -> s.comments().post(s.site(), thread, reader,
                            new CommentForm("comment " + i, null, null, null), "127.0.0.1").id();
                };
                if (i % 4 == 0) {
                    s.comments().flag(id, reader, "abuse", "note " + i);
                }
            }
            WebClient client = s.client();
            client.get("/signin");
            client.post("/signin", Map.of("email", "boss@example.com", "password", PASSWORD));
            HttpResponse<String> page = client.get("/admin/queue?queue=recent");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body().split("class=\"queue-item\"", -1).length - 1).isEqualTo(20);
            HttpResponse<String> filtered = client.get("/admin/queue?queue=recent&thread=t7&author=guest"
                    + "&ip=127.0.0.0/8&text=comment&order=oldest");
            assertThat(filtered.statusCode()).isEqualTo(200);
            assertThat(filtered.body().split("class=\"queue-item\"", -1).length - 1).isEqualTo(1);
            return new int[] {sqlCount(page), sqlCount(filtered)};
        }
    }

    private static int sqlCount(HttpResponse<String> page) {
        return Integer.parseInt(page.headers().firstValue("X-Parley-Sql-Count").orElseThrow());
    }

    private static WebClient signedIn(String email) {
        WebClient client = server.client();
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", new HashMap<>(Map.of("email", email, "password", PASSWORD)));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }
}
