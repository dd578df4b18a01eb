package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.Account;
import org.parley.discussion.CommentForm;
import org.parley.discussion.ThreadRepository;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** One author's history across the site's shards, their standing, and the ways to act on them. */
class AuthorHistoryIT {
    private static final Pattern ITEM = Pattern.compile("id=\"comment-(\\d+)\" class=\"queue-item\"");
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static ConsoleUsers users;
    private static long otherSite;
    private static Account ada;

    @BeforeAll
    static void start() {
        users = new ConsoleUsers(server);
        var main = server.parley().databases().main();
        otherSite = users.site("other", "Other site");
        users.moderator("mod@example.com", "Mod", server.site().id());
        users.moderator("othermod@example.com", "Other Mod", otherSite);
        long adaId = users.account("ada@example.com", "Ada");
        ada = new Account(adaId, "ada@example.com", "Ada", false);
        for (int i = 0; i < 3; i++) {
            server.comments().post(server.site(), server.thread("ada-" + i), ada, new CommentForm("Ada says " + i, null, null, null), "192.0.2.7");
        }
        var other = new SiteRepository(main).byId(otherSite).orElseThrow();
        var elsewhere = new ThreadRepository(server.parley().databases()).findOrCreate(otherSite, "elsewhere", TestServer.ORIGIN + "/e", "E");
        server.comments().post(other, elsewhere, ada, new CommentForm("Ada elsewhere", null, null, null), "192.0.2.7");
        // 55 by one guest email, over many threads (so many shards)
        for (int i = 0; i < 55; i++) {
            server.comments().post(server.site(), server.thread("pager-" + (i % 11)), null,
                    new CommentForm("Pager " + i, null, "Pager", "Pager@Example.com"), "198.51.100." + (i % 2 + 1));
        }
    }

    @Test
    void anAccountsCommentsFromEveryShardNewestFirstAndOnlyThisSite() {
        HttpResponse<String> page = users.signedIn("mod@example.com").get("/admin/authors/" + server.site().id() + "/account/" + ada.id());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Ada (ada@example.com, account " + ada.id() + ")", "Ada says 0", "Ada says 1",
                "Ada says 2").doesNotContain("Ada elsewhere");
        assertThat(page.body().indexOf("Ada says 2")).isLessThan(page.body().indexOf("Ada says 1"));
        assertThat(page.body().indexOf("Ada says 1")).isLessThan(page.body().indexOf("Ada says 0"));
    }

    @Test
    void aGuestEmailsHistoryPagesByKeysetWithoutGapsOrRepeats() {
        WebClient mod = users.signedIn("mod@example.com");
        HttpResponse<String> first = mod.get("/admin/authors/" + server.site().id() + "/email/pager%40example.com");
        assertThat(first.statusCode()).isEqualTo(200);
        List<Long> ids = ids(first.body());
        assertThat(ids).hasSize(50).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        Matcher older = Pattern.compile("href=\"([^\"]*before=\\d+)\">Older").matcher(first.body());
        assertThat(older.find()).isTrue();
        List<Long> second = ids(mod.get(older.group(1).replace("&amp;", "&")).body());
        assertThat(second).hasSize(5);
        assertThat(second.getFirst()).isLessThan(ids.getLast());
        assertThat(first.body()).contains("Pager 54").doesNotContain(">Pager 0<");

        // the same author by address range: half of them came from 198.51.100.1
        HttpResponse<String> byIp = mod.get("/admin/authors/" + server.site().id() + "/ip/198.51.100.1");
        assertThat(ids(byIp.body())).hasSize(28);
        assertThat(byIp.body()).contains("Address 198.51.100.1/32");
    }

    @Test
    void theStandingShowsBansAndTrustAndLinksToChangeThem() {
        WebClient mod = users.signedIn("mod@example.com");
        String path = "/admin/authors/" + server.site().id() + "/account/" + ada.id();
        String page = mod.get(path).body();
        Matcher ban = Pattern.compile("href=\"(/admin/bans\\?[^\"]+)\">Ban this author").matcher(page);
        assertThat(ban.find()).isTrue();
        String form = mod.get(ban.group(1).replace("&amp;", "&")).body();
        assertThat(form).contains("value=\"" + ada.id() + "\"");
        HttpResponse<String> banned = mod.post("/admin/bans", Map.of("site", Long.toString(server.site().id()),
                "kind", "email", "value", "ada@example.com", "reason", "too many links"));
        assertThat(banned.statusCode()).as(banned.body()).isEqualTo(302);

        mod.get(path);
        HttpResponse<String> trusted = mod.post("/admin/rules/trusted", Map.of("site", Long.toString(server.site().id()),
                "account", Long.toString(ada.id())));
        assertThat(trusted.statusCode()).isEqualTo(302);
        assertThat(mod.get(path).body()).contains("trusted", "Ban", "too many links").doesNotContain("Trust this author");
    }

    @Test
    void theSearchFormFindsTheAuthorOrSaysWhyNot() {
        WebClient mod = users.signedIn("mod@example.com");
        HttpResponse<String> found = mod.get("/admin/authors?site=" + server.site().id() + "&kind=account&value=ADA%40example.com");
        assertThat(found.statusCode()).isEqualTo(302);
        assertThat(found.headers().firstValue("Location").orElseThrow())
                .endsWith("/admin/authors/" + server.site().id() + "/account/" + ada.id());
        HttpResponse<String> missing = mod.get("/admin/authors?site=" + server.site().id() + "&kind=ip&value=10.0.0.1%2F8");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("id=\"value-error\"", "is not an IP address or CIDR range");
        HttpResponse<String> badIp = mod.get("/admin/authors/" + server.site().id() + "/ip/not-an-address");
        assertThat(badIp.statusCode()).isEqualTo(400);
        assertThat(badIp.body()).contains("is not an IP address or CIDR range.");
    }

    @Test
    void anotherSitesModeratorFindsNothing() {
        WebClient otherMod = users.signedIn("othermod@example.com");
        HttpResponse<String> forged = otherMod.get("/admin/authors/" + server.site().id() + "/account/" + ada.id());
        assertThat(forged.statusCode()).isEqualTo(404);
        assertThat(forged.body()).doesNotContain("Ada says");
        assertThat(otherMod.get("/admin/authors?site=" + server.site().id() + "&kind=account&value=" + ada.id())
                .statusCode()).isEqualTo(404);
        // their own site shows Ada's comment there only
        assertThat(otherMod.get("/admin/authors/" + otherSite + "/account/" + ada.id()).body())
                .contains("Ada elsewhere").doesNotContain("Ada says");
    }

    private static List<Long> ids(String html) {
        return ConsoleUsers.ids(ITEM, html);
    }
}
