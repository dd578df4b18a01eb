package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.discussion.FragmentCacheIT.sqlCount;

/**
 * A signed-in viewer whose browser runs thread.js (the parley_js cookie) gets the very page every guest gets, at
 * the guests' cost, and their own bits from {@code …/me}: one statement, private, with their token, their votes,
 * their edit and delete buttons and their pending comments — and nothing about comments they have no part in.
 */
class ViewerOverlayIT {
    private static final Pattern CSRF = Pattern.compile("\"csrf\":\"([A-Za-z0-9_-]{43})\"");
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void aSignedInViewerWithScriptGetsTheSharedPageAndTheirOwnBitsFromOneStatement() {
        var thread = server.thread("overlay");
        long others = server.post(thread, null, "Someone else's thought");
        long untouched = server.post(thread, null, "Nobody voted on this");
        String path = TestServer.standalonePath("overlay");
        String me = "/t/default/overlay/me?sort=oldest";
        WebClient member = server.signedUp("overlay@example.com", "Olga");
        member.setCookie(ScriptCookie.NAME, "1");
        member.get(path);
        String token = token(member.get(me));

        long mine = idOf(member.post(path, Map.of("body", "Olga's own comment", "csrf", token)));
        assertThat(member.post("/c/" + others + "/vote", Map.of("value", "1", "return", path, "csrf", token))
                .statusCode()).isEqualTo(302);
        server.mainSql("UPDATE main.site SET premoderation = true WHERE name = 'default'");
        long pending;
        try {
            pending = idOf(member.post(path, Map.of("body", "Olga's pending reply", "parent", Long.toString(others),
                    "csrf", token)));
        } finally {
            server.mainSql("UPDATE main.site SET premoderation = false WHERE name = 'default'");
        }
        server.client().get(path); // the new version's list into the cache
        HttpResponse<String> guestPage = server.client().get(path);

        HttpResponse<String> page = member.get(path);
        HttpResponse<String> overlay = member.get(me);

        assertThat(page.body()).as("the shared page, byte for byte").isEqualTo(guestPage.body());
        assertThat(sqlCount(page)).as("as cheap as a guest's page: stored, the version known").isZero();
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("private, no-cache");
        assertThat(page.body()).doesNotContain("Olga's pending reply", "name=\"csrf\"");

        assertThat(overlay.statusCode()).isEqualTo(200);
        assertThat(sqlCount(overlay)).as("the viewer's rows, nothing else").isEqualTo(1);
        assertThat(overlay.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(overlay.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        String json = overlay.body();
        assertThat(json).startsWith("{\"signedIn\":true,").contains("\"csrf\":\"" + token + "\"");
        assertThat(text(json)).contains("Commenting as Olga", "Sign out");
        assertThat(item(json, others)).as("their vote").contains("aria-pressed=\"true\"", "<span class=\"score\">1</span>");
        assertThat(item(json, mine)).as("their own comment").contains("/c/" + mine + "/edit", "Delete");
        assertThat(item(json, pending)).as("their pending reply").contains("Olga&#39;s pending reply",
                "Awaiting moderation: only you can see this.", "data-depth=\"1\"");
        assertThat(json).contains("\"id\":\"" + pending + "\",\"parent\":\"" + others + "\"");
        assertThat(json).doesNotContain("\"id\":\"" + untouched + "\"");
        assertThat(item(json, mine)).contains("name=\"csrf\" value=\"" + token + "\"");
    }

    @Test
    void theOverlayCoversOnlyThePageItCompletes() {
        var thread = server.thread("overlay-pages");
        long last = 0;
        long fifty = 0;
        for (int i = 1; i <= 52; i++) {
            last = server.post(thread, null, "Comment " + i);
            fifty = i == 50 ? last : fifty;
        }
        String path = TestServer.standalonePath("overlay-pages");
        WebClient member = server.signedUp("pages@example.com", "Paula");
        member.setCookie(ScriptCookie.NAME, "1");
        String page = member.get(path).body();
        assertThat(page).contains("after=" + fifty);
        String token = token(member.get("/t/default/overlay-pages/me?sort=oldest"));
        member.post("/c/" + last + "/vote", Map.of("value", "-1", "return", path, "csrf", token));

        String first = member.get("/t/default/overlay-pages/me?sort=oldest&until=" + fifty).body();
        String second = member.get("/t/default/overlay-pages/me?sort=oldest&after=" + fifty).body();

        assertThat(first).contains("\"items\":[]");
        assertThat(item(second, last)).contains("aria-pressed=\"true\"", ">-1</span>");
    }

    @Test
    void aFormFromASharedPageTheScriptDidNotCompleteIsRefusedAndTheReloadIsRenderedForTheViewer() {
        server.thread("overlay-noscript");
        String path = TestServer.standalonePath("overlay-noscript");
        WebClient member = server.signedUp("noscript@example.com", "Nora");
        member.setCookie(ScriptCookie.NAME, "1"); // script was on; now it is off, and the cookie is still there
        assertThat(member.get(path).body()).doesNotContain("name=\"csrf\"");

        HttpResponse<String> refused = member.postRaw(path, Map.of("body", "Posted without script"));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Reload the page and try again.");
        assertThat(refused.headers().allValues("Set-Cookie")).contains("parley_js=; Path=/; Max-Age=0; SameSite=Lax");
        HttpResponse<String> reloaded = member.get(path);
        assertThat(reloaded.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(reloaded.body()).contains("Commenting as Nora", "name=\"csrf\"");
        assertThat(member.follow(member.post(path, Map.of("body", "Posted without script"))).body())
                .contains("Posted without script");
    }

    @Test
    void aGuestsOverlayIsEmptyCostsNoSqlAndDropsAStaleMemberHint() {
        server.thread("overlay-guest");
        WebClient guest = server.client();
        guest.setCookie("parley_member", "1");
        guest.get(TestServer.standalonePath("overlay-guest"));

        HttpResponse<String> overlay = guest.get("/t/default/overlay-guest/me?sort=oldest");

        assertThat(overlay.body()).isEqualTo("{\"signedIn\":false}");
        assertThat(sqlCount(overlay)).isZero();
        assertThat(overlay.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(overlay.headers().allValues("Set-Cookie")).singleElement()
                .satisfies(header -> assertThat(header).startsWith("parley_member=; Path=/; Max-Age=0"));
    }

    @Test
    void theEmbedsOverlayLinksBackToTheEmbed() {
        String embed = TestServer.embedPath("overlay-embed");
        WebClient member = server.signedUp("embed@example.com", "Emma");
        member.setCookie(ScriptCookie.NAME, "1");
        String page = member.get(embed).body();
        Matcher url = Pattern.compile("data-overlay=\"([^\"]+)\"").matcher(page);
        assertThat(url.find()).isTrue();
        String me = url.group(1).replace("&amp;", "&");
        assertThat(me).startsWith("/embed/default/me?key=overlay-embed&url=");

        HttpResponse<String> overlay = member.get(me);

        assertThat(overlay.statusCode()).isEqualTo(200);
        assertThat(text(overlay.body())).contains("Commenting as Emma", "name=\"return\" value=\"/embed/default?key=overlay-embed");
    }

    private static String token(HttpResponse<String> overlay) {
        Matcher m = CSRF.matcher(overlay.body());
        assertThat(m.find()).as(overlay.body()).isTrue();
        return m.group(1);
    }

    private static long idOf(HttpResponse<String> redirect) {
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        Matcher m = Pattern.compile("#comment-(\\d+)").matcher(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The html of the overlay item for comment id, unescaped. */
    private static String item(String json, long id) {
        int at = json.indexOf("{\"id\":\"" + id + "\"");
        assertThat(at).as("an item for comment %d in %s", id, json).isNotNegative();
        int html = json.indexOf("\"html\":\"", at) + "\"html\":\"".length();
        int end = json.indexOf("\"}", html);
        return text(json.substring(html, end));
    }

    /** JSON string escapes undone, enough to read the HTML inside. */
    private static String text(String json) {
        return json.replace("\\u003c", "<").replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
    }
}
