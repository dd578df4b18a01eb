package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.discussion.CommentForm;
import org.parley.discussion.CommentThread;
import org.parley.discussion.ThreadRepository;
import org.parley.site.SiteRepository;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue's filters and keyset pages, and actions on a selection: applied where the comment is still as the
 * moderator saw it, reported (never overwritten) where another moderator got there first, refused whole when a
 * forged or malformed id is in it.
 */
class QueueSelectionIT {
    private static final String PASSWORD = "correct horse battery";
    private static final Pattern ITEM = Pattern.compile("<div class=\"comment-body\" dir=\"auto\"><p>([^<]*)</p>");
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static long otherComment;

    @BeforeAll
    static void start() {
        var main = server.parley().databases().main();
        long otherSite = new SiteRepository(main).create("other", "Other site", List.of(TestServer.ORIGIN));
        var accounts = new AccountRepository(main);
        var moderators = new Moderators(main);
        moderators.add(server.site().id(), accounts.create("mod@example.com", "Mod", Passwords.hash(PASSWORD)).orElseThrow());
        moderators.add(server.site().id(), accounts.create("mod2@example.com", "Mod Two", Passwords.hash(PASSWORD)).orElseThrow());
        var other = new SiteRepository(main).byName("other").orElseThrow();
        CommentThread elsewhere = new ThreadRepository(server.parley().databases())
                .findOrCreate(otherSite, "elsewhere", TestServer.ORIGIN + "/elsewhere", "Elsewhere");
        otherComment = server.comments().post(other, elsewhere, null,
                new CommentForm("On the other site", null, "Guest", null), "127.0.0.1").id();
    }

    @Test
    void filtersNarrowTheQueueByThreadAuthorIpAndText() {
        guest("filters-a", "Alice", "alice@example.org", "198.51.100.7", "Tea is better than coffee");
        guest("filters-a", "Bob", null, "198.51.100.8", "Coffee 100% forever");
        guest("filters-b", "alice", null, "203.0.113.5", "Tea again, from elsewhere");
        WebClient mod = signedIn("mod@example.com");
        String base = "/admin/queue?queue=recent";

        assertThat(items(mod.get(base + "&thread=filters-a")))
                .containsExactly("Coffee 100% forever", "Tea is better than coffee");
        assertThat(items(mod.get(base + "&author=ALICE")))
                .containsExactly("Tea again, from elsewhere", "Tea is better than coffee");
        assertThat(items(mod.get(base + "&author=alice@example.org"))).containsExactly("Tea is better than coffee");
        assertThat(items(mod.get(base + "&ip=198.51.100.0/24")))
                .containsExactly("Coffee 100% forever", "Tea is better than coffee");
        assertThat(items(mod.get(base + "&ip=203.0.113.5"))).containsExactly("Tea again, from elsewhere");
        assertThat(items(mod.get(base + "&text=TEA&order=oldest")))
                .containsExactly("Tea is better than coffee", "Tea again, from elsewhere");
        assertThat(items(mod.get(base + "&text=100%25"))).as("% is a character, not a wildcard")
                .containsExactly("Coffee 100% forever");
        assertThat(items(mod.get(base + "&thread=filters-a&author=bob&text=coffee&ip=198.51.100.8")))
                .containsExactly("Coffee 100% forever");
        assertThat(mod.get(base + "&thread=no-such-thread").body()).contains("Nothing here.");
    }

    @Test
    void pagesFollowEachOtherWithoutGapsOrRepeatsInBothOrders() {
        CommentThread thread = server.thread("paging");
        List<String> posted = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            posted.add("paged comment " + i);
            server.post(thread, null, "paged comment " + i);
        }
        WebClient mod = signedIn("mod@example.com");
        for (String order : List.of("newest", "oldest")) {
            HttpResponse<String> first = mod.get("/admin/queue?queue=recent&thread=paging&order=" + order);
            List<String> seen = new ArrayList<>(items(first));
            assertThat(seen).hasSize(ReviewQueue.PAGE_SIZE);
            Matcher older = Pattern.compile("class=\"more\"><a href=\"([^\"]+)\"").matcher(first.body());
            assertThat(older.find()).isTrue();
            HttpResponse<String> second = mod.get(older.group(1).replace("&amp;", "&"));
            seen.addAll(items(second));
            assertThat(second.body()).doesNotContain("class=\"more\"");
            List<String> expected = new ArrayList<>(posted);
            if (order.equals("newest")) {
                java.util.Collections.reverse(expected);
            }
            assertThat(seen).as(order).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void badFiltersAreExplainedAndForeignSitesAreNotFound() {
        WebClient mod = signedIn("mod@example.com");
        HttpResponse<String> badIp = mod.get("/admin/queue?ip=10.0.0.1/8");
        assertThat(badIp.statusCode()).isEqualTo(400);
        assertThat(badIp.body()).contains("&#39;10.0.0.1/8&#39; is not an IP address or CIDR range");
        assertThat(mod.get("/admin/queue?order=sideways").statusCode()).isEqualTo(400);
        assertThat(mod.get("/admin/queue?from=yesterday").body()).contains("&#39;from&#39; must be a comment number.");
        long otherSite = new SiteRepository(server.parley().databases().main()).byName("other").orElseThrow().id();
        assertThat(mod.get("/admin/queue?site=" + otherSite).statusCode()).isEqualTo(404);
    }

    @Test
    void aSelectionIsAppliedExceptWhatAnotherModeratorChangedWhichIsReportedAndLeftAlone() {
        long[] ids = pending("selection", "Select me one", "Select me two", "Select me three");
        WebClient mod = signedIn("mod@example.com");
        assertThat(items(mod.get("/admin/queue?queue=pending&thread=selection")))
                .containsExactly("Select me three", "Select me two", "Select me one");

        // meanwhile a second moderator marks one as spam
        WebClient other = signedIn("mod2@example.com");
        other.get("/admin/queue?queue=pending&thread=selection");
        assertThat(other.post("/admin/comments/" + ids[1] + "/spam", List.of(Map.entry("expected", "pending"))).statusCode())
                .isEqualTo(302);

        HttpResponse<String> done = mod.post("/admin/comments/selection", form("approve",
                ids[0] + ":pending", ids[1] + ":pending", ids[2] + ":pending"));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        String page = mod.follow(done).body();
        assertThat(page).contains("approve: 2 comments done.", "1 left alone: another moderator changed it meanwhile.",
                "Comment " + ids[1] + " is now spam (you saw pending).");
        assertThat(items(mod.get("/admin/queue?queue=spam&thread=selection"))).containsExactly("Select me two");
        assertThat(server.client().get(TestServer.standalonePath("selection")).body())
                .contains("Select me one", "Select me three").doesNotContain("Select me two");
        assertThat(mod.get("/admin/audit").body()).contains("Mod Two", "pending → spam");

        // undo puts the two approved ones back where they were
        mod.get("/admin/queue?queue=pending&thread=selection");
        Matcher undo = Pattern.compile("name=\"select\" value=\"([^\"]+)\"").matcher(page);
        List<String> undoValues = new ArrayList<>();
        while (undo.find()) {
            undoValues.add(undo.group(1));
        }
        assertThat(undoValues).hasSize(2);
        HttpResponse<String> undone = mod.post("/admin/comments/selection",
                form("undo", undoValues.toArray(String[]::new)));
        assertThat(mod.follow(undone).body()).contains("undo: 2 comments done.");
        assertThat(items(mod.get("/admin/queue?queue=pending&thread=selection")))
                .containsExactly("Select me three", "Select me one");
    }

    @Test
    void aForgedOrMalformedIdRefusesTheWholeSelection() {
        long[] ids = pending("forged", "Mine to moderate");
        WebClient mod = signedIn("mod@example.com");
        mod.get("/admin/queue?queue=pending");

        HttpResponse<String> forged = mod.post("/admin/comments/selection",
                form("reject", ids[0] + ":pending", otherComment + ":approved"));
        assertThat(forged.statusCode()).isEqualTo(404);
        assertThat(forged.body()).contains("Comment " + otherComment + " is not among the comments you moderate. "
                + "Nothing was changed.");

        HttpResponse<String> malformed = mod.post("/admin/comments/selection", form("reject", ids[0] + ":pending", "12x"));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("A selected comment must be sent as id:state");

        HttpResponse<String> badState = mod.post("/admin/comments/selection", form("reject", ids[0] + ":sleeping"));
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(mod.post("/admin/comments/selection", form("reject")).body()).contains("Select at least one comment.");
        assertThat(mod.post("/admin/comments/selection", form("obliterate", ids[0] + ":pending")).statusCode())
                .isEqualTo(404);

        assertThat(items(mod.get("/admin/queue?queue=pending&thread=forged"))).containsExactly("Mine to moderate");
        assertThat(mod.get("/admin/audit").body()).doesNotContain("comment:" + ids[0]);
        assertThat(server.client().get("/t/other/elsewhere").body()).contains("On the other site");
    }

    /** The selection form as the browser sends it: one "select" field per ticked comment. */
    private static List<Map.Entry<String, String>> form(String action, String... selected) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("action", action));
        fields.add(Map.entry("return", "/admin/queue?queue=pending"));
        for (String s : selected) {
            fields.add(Map.entry("select", s));
        }
        return fields;
    }

    private static long[] pending(String key, String... bodies) {
        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        try {
            CommentThread thread = server.thread(key);
            long[] ids = new long[bodies.length];
            for (int i = 0; i < bodies.length; i++) {
                ids[i] = server.post(thread, null, bodies[i]);
            }
            return ids;
        } finally {
            server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
        }
    }

    private static void guest(String key, String name, String email, String ip, String body) {
        server.comments().post(server.site(), server.thread(key), null, new CommentForm(body, null, name, email), ip);
    }

    private static List<String> items(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        List<String> texts = new ArrayList<>();
        Matcher m = ITEM.matcher(page.body());
        while (m.find()) {
            texts.add(m.group(1).replace("&amp;", "&"));
        }
        return texts;
    }

    private static WebClient signedIn(String email) {
        WebClient client = server.client();
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", Map.of("email", email, "password", PASSWORD));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }
}
