package org.parley.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.account.AccountRepository;
import org.parley.account.Passwords;
import org.parley.discussion.CommentForm;
import org.parley.discussion.CommentRepository;
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
 * Editing from the console with every version kept, pinning, and closing and locking threads: what moderators,
 * authors and anonymous visitors (through the fragment cache) see after each, and what stale or forged requests get.
 */
class ContentModerationIT {
    private static final String PASSWORD = "correct horse battery";
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static long otherComment;
    private static long otherThread;

    @BeforeAll
    static void start() {
        var main = server.parley().databases().main();
        long otherSite = new SiteRepository(main).create("other", "Other site", List.of(TestServer.ORIGIN));
        var accounts = new AccountRepository(main);
        long mod = accounts.create("mod@example.com", "Mod", Passwords.hash(PASSWORD)).orElseThrow();
        new Moderators(main).add(server.site().id(), mod);
        accounts.create("reader@example.com", "Reader", Passwords.hash(PASSWORD)).orElseThrow();
        CommentThread elsewhere = new ThreadRepository(server.parley().databases())
                .findOrCreate(otherSite, "elsewhere", TestServer.ORIGIN + "/elsewhere", "Elsewhere");
        otherThread = elsewhere.id();
        otherComment = server.comments().post(new SiteRepository(main).byName("other").orElseThrow(), elsewhere, null,
                new CommentForm("On the other site", null, "Guest", null), "127.0.0.1").id();
    }

    @Test
    void aModeratorsEditKeepsEveryVersionAndIsServedAtOnceEvenFromTheCache() {
        long id = server.post(server.thread("edited"), null, "Original words");
        assertThat(anonymousPage("edited")).contains("Original words"); // now in the fragment cache

        WebClient mod = signedIn("mod@example.com");
        assertThat(mod.get("/admin/edit/" + id).body()).contains("Never edited", "Original words");
        HttpResponse<String> saved = mod.post("/admin/edit/" + id, Map.of("seen", "-1", "body", "Moderated words"));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        String page = mod.follow(saved).body();
        assertThat(page).contains("Saved as revision 1.", "Original", "Revision 1");
        assertThat(page.indexOf("Moderated words")).isLessThan(page.lastIndexOf("Original words"));
        assertThat(anonymousPage("edited")).contains("Moderated words").doesNotContain("Original words");
        assertThat(mod.get("/admin/audit").body()).contains("edit", "Original words → Moderated words");

        // a second moderator's page still showed no history: refused, nothing changed
        HttpResponse<String> stale = mod.post("/admin/edit/" + id, Map.of("seen", "-1", "body", "Overwritten"));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("changed meanwhile (it is now at revision 1). Nothing was changed");

        HttpResponse<String> empty = mod.post("/admin/edit/" + id, Map.of("seen", "1", "body", "   "));
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("Your comment is empty.", "id=\"body-error\"");

        HttpResponse<String> restored = mod.post("/admin/edit/" + id, Map.of("seen", "1", "restore", "0"));
        assertThat(mod.follow(restored).body()).contains("Saved as revision 2.");
        assertThat(anonymousPage("edited")).contains("Original words").doesNotContain("Moderated words");
        assertThat(mod.get("/admin/audit").body()).contains("restore-revision", "Moderated words → Original words");
    }

    @Test
    void editingAnotherSitesCommentIsNotFound() {
        WebClient mod = signedIn("mod@example.com");
        assertThat(mod.get("/admin/edit/" + otherComment).statusCode()).isEqualTo(404);
        mod.get("/admin/bans"); // a page with a form, for the CSRF token
        HttpResponse<String> forged = mod.post("/admin/edit/" + otherComment, Map.of("seen", "-1", "body", "Hijacked"));
        assertThat(forged.statusCode()).isEqualTo(404);
        assertThat(forged.body()).contains("This comment does not exist.");
        assertThat(mod.post("/admin/edit/not-a-number", Map.of("seen", "-1", "body", "x")).statusCode()).isEqualTo(404);
        assertThat(server.client().get("/t/other/elsewhere").body()).contains("On the other site").doesNotContain("Hijacked");
    }

    @Test
    void pinnedCommentsComeFirstAndPinsAreLimitedToTopLevelComments() {
        CommentThread thread = server.thread("pins");
        long first = server.post(thread, null, "Oldest comment");
        server.post(thread, null, "Middle comment");
        long newest = server.post(thread, null, "Newest comment");
        long reply = server.post(thread, first, "A reply");
        assertThat(order(anonymousPage("pins"), "Oldest comment", "Newest comment")).isTrue();

        WebClient mod = signedIn("mod@example.com");
        mod.get("/admin/bans"); // a page with a form, for the CSRF token
        HttpResponse<String> pinned = mod.post("/admin/pin/" + newest + "/pin",
                Map.of("expected", "unpinned", "return", "/admin/queue?queue=recent"));
        assertThat(mod.follow(pinned).body()).contains("Comment " + newest + ": pin (was unpinned).", "Undo");
        String page = anonymousPage("pins");
        assertThat(order(page, "Newest comment", "Oldest comment")).as("the pinned comment opens the page").isTrue();
        assertThat(page).contains(">Pinned<");

        assertThat(mod.post("/admin/pin/" + newest + "/pin", Map.of("expected", "unpinned")).body())
                .contains("Another moderator pinned this comment meanwhile.");
        HttpResponse<String> pinReply = mod.post("/admin/pin/" + reply + "/pin", Map.of("expected", "unpinned"));
        assertThat(pinReply.statusCode()).isEqualTo(409);
        assertThat(pinReply.body()).contains("Only a top-level comment can be pinned");
        for (int i = 0; i < 2; i++) {
            mod.post("/admin/pin/" + server.post(thread, null, "More " + i) + "/pin", Map.of("expected", "unpinned"));
        }
        HttpResponse<String> fourth = mod.post("/admin/pin/" + first + "/pin", Map.of("expected", "unpinned"));
        assertThat(fourth.statusCode()).isEqualTo(409);
        assertThat(fourth.body()).contains("already has 3 pinned comments");

        // the undo the notice offered
        HttpResponse<String> undone = mod.post("/admin/pin/" + newest + "/unpin",
                Map.of("expected", "pinned", "return", "/admin/queue"));
        assertThat(undone.statusCode()).isEqualTo(302);
        assertThat(order(anonymousPage("pins"), "Oldest comment", "Newest comment")).isTrue();
        assertThat(mod.get("/admin/audit").body()).contains("unpinned → pinned", "pinned → unpinned");
    }

    @Test
    void thePinnedCommentOpensTheFirstPageOnlyAndTheNextPageContinuesWithoutGapsOrRepeats() {
        CommentThread thread = server.thread("pinned-pages");
        int total = CommentRepository.PAGE_SIZE + 5;
        long last = 0;
        for (int i = 0; i < total; i++) {
            last = server.post(thread, null, "Paged " + i + ".");
        }
        WebClient mod = signedIn("mod@example.com");
        mod.get("/admin/bans"); // a page with a form, for the CSRF token
        assertThat(mod.post("/admin/pin/" + last + "/pin", Map.of("expected", "unpinned")).statusCode()).isEqualTo(302);

        String first = anonymousPage("pinned-pages");
        List<String> seen = new ArrayList<>(bodies(first));
        assertThat(seen.getFirst()).isEqualTo("Paged " + (total - 1) + ".");
        assertThat(seen).hasSize(CommentRepository.PAGE_SIZE);
        Matcher more = Pattern.compile("class=\"more\"><a href=\"([^\"]+)\"")
                .matcher(first);
        assertThat(more.find()).isTrue();
        String second = server.client().get(more.group(1).replace("&amp;", "&")).body();
        seen.addAll(bodies(second));
        assertThat(second).doesNotContain("class=\"more\"");
        List<String> expected = new ArrayList<>();
        expected.add("Paged " + (total - 1) + ".");
        for (int i = 0; i < total - 1; i++) {
            expected.add("Paged " + i + ".");
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    private static List<String> bodies(String page) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("<p>(Paged \\d+\\.)</p>").matcher(page);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void aClosedThreadShowsItsCommentsButTakesNoNewOnesAndALockedOneAlsoRefusesVotes() {
        CommentThread thread = server.thread("gates");
        long comment = server.post(thread, null, "Said before closing");
        assertThat(anonymousPage("gates")).contains("Said before closing", "name=\"body\"");

        WebClient mod = signedIn("mod@example.com");
        mod.get("/admin/bans"); // a page with a form, for the CSRF token
        HttpResponse<String> closed = mod.post("/admin/threads/" + thread.id() + "/close",
                Map.of("expected", "open", "return", "/admin/queue?queue=recent"));
        assertThat(mod.follow(closed).body()).contains("Thread " + thread.id() + ": close (was open).", "Undo");
        String page = anonymousPage("gates");
        assertThat(page).contains("Said before closing", "Comments are closed here.").doesNotContain("name=\"body\"");
        WebClient guest = server.client();
        guest.get(TestServer.embedPath("gates"));
        HttpResponse<String> refused = guest.post(TestServer.embedPath("gates"), Map.of("body", "Too late", "name", "G"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Comments are closed here.");

        // closed: votes still count
        WebClient reader = signedIn("reader@example.com");
        reader.get(TestServer.standalonePath("gates"));
        assertThat(reader.post("/c/" + comment + "/vote", Map.of("value", "1")).statusCode()).isEqualTo(302);

        mod.get("/admin/bans"); // a page with a form, for the CSRF token
        assertThat(mod.post("/admin/threads/" + thread.id() + "/lock", Map.of("expected", "closed")).statusCode())
                .isEqualTo(302);
        page = anonymousPage("gates");
        assertThat(page).contains("Said before closing", "This discussion is locked").doesNotContain("name=\"body\"")
                .doesNotContain("aria-label=\"Upvote\"");
        reader.get(TestServer.standalonePath("gates"));
        HttpResponse<String> vote = reader.post("/c/" + comment + "/vote", Map.of("value", "0"));
        assertThat(vote.statusCode()).isEqualTo(403);
        assertThat(vote.body()).contains("This discussion is locked");

        // a moderator who still saw it open
        HttpResponse<String> stale = mod.post("/admin/threads/" + thread.id() + "/close", Map.of("expected", "open"));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("Another moderator changed this thread meanwhile: it is now locked.");
        assertThat(mod.post("/admin/threads/" + otherThread + "/close", Map.of("expected", "open")).statusCode())
                .isEqualTo(404);
        assertThat(mod.post("/admin/threads/" + thread.id() + "/explode", Map.of()).statusCode()).isEqualTo(404);

        assertThat(mod.post("/admin/threads/" + thread.id() + "/open", Map.of("expected", "locked")).statusCode())
                .isEqualTo(302);
        assertThat(anonymousPage("gates")).contains("name=\"body\"", "aria-label=\"Upvote\"");
        assertThat(mod.get("/admin/audit").body()).contains("open → closed", "closed → locked", "locked → open");
    }

    private static boolean order(String page, String earlier, String later) {
        int a = page.indexOf(earlier);
        int b = page.indexOf(later);
        assertThat(a).as(earlier).isNotNegative();
        assertThat(b).as(later).isNotNegative();
        return a < b;
    }

    private static String anonymousPage(String key) {
        HttpResponse<String> page = server.client().get(TestServer.standalonePath(key));
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    private static WebClient signedIn(String email) {
        WebClient client = server.client();
        client.get("/signin");
        HttpResponse<String> done = client.post("/signin", Map.of("email", email, "password", PASSWORD));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return client;
    }
}
