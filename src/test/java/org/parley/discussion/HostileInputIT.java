package org.parley.discussion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile comments and names, posted through the real form and read back from the real page: whatever comes
 * out in the comment list is inert. (Markdown's own rules are unit-tested in MarkdownTest; this proves the
 * whole path — form, storage, template — keeps them that way.) Also the rate limit on posting.
 */
class HostileInputIT {
    private static final List<String> HOSTILE = List.of(
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<svg onload=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<b><i>broken</b>",
            "\"><script>alert(1)</script>",
            "[x](&#106;avascript:alert(1))",
            "right\u202Eto\u202Cleft and zero\u200Bwidth",
            "a".repeat(10_000));
    private static final Pattern DANGER = Pattern.compile(
            "(?i)<script|<iframe|<svg|<style|\\son\\w+\\s*=|=\"\\s*javascript:|=\"\\s*data:|\u202E|\u200B");
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void hostileCommentsAndNamesRenderInert() {
        String page = TestServer.embedPath("hostile");
        int n = 0;
        for (String body : HOSTILE) {
            WebClient guest = server.client();
            guest.get(page);
            String name = n++ % 2 == 0 ? "<script>alert('name')</script>" : "Eve\u202Eevil\u200B";
            HttpResponse<String> posted = guest.post(page, Map.of("name", name, "body", body));
            assertThat(posted.statusCode()).as("posting %s", body.length() > 40 ? body.substring(0, 40) : body)
                    .isIn(302, 400);
        }
        String html = server.client().get(TestServer.standalonePath("hostile")).body();
        String comments = html.substring(html.indexOf("<ol class=\"comments\">"), html.indexOf("</ol>", html.indexOf("<ol class=\"comments\">")));

        assertThat(DANGER.matcher(comments).find()).as("dangerous markup in:\n" + comments).isFalse();
        assertThat(comments).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "a".repeat(10_000), "broken",
                "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;", "Eveevil");
        assertThat(comments.split("<img ", -1).length - 1).as("the only images are avatars")
                .isEqualTo(comments.split("<img src=\"/avatar/", -1).length - 1);
    }

    @Test
    void postingTooFastIsRefusedWithRetryAfter() {
        try (TestServer limited = TestServer.start(Map.of("PARLEY_RATE_LIMITS", "true"))) {
            String page = TestServer.embedPath("fast");
            WebClient guest = limited.client();
            guest.get(page);
            HttpResponse<String> last = null;
            for (int i = 0; i < 6; i++) {
                last = guest.post(page, Map.of("name", "Speedy", "body", "comment " + i));
                guest.get(page);
            }
            assertThat(last.statusCode()).isEqualTo(429);
            assertThat(last.headers().firstValue("Retry-After")).isPresent();
            assertThat(last.body()).contains("You are posting too fast. Try again in", ">comment 5</textarea>");
            assertThat(limited.client().get(page).body()).contains("5 comments");
        }
    }

    /**
     * Guests post without a token (their page is shared by every guest), so what stops another site's page from
     * posting through a visitor's browser is the browser's own Origin and Sec-Fetch-Site headers (web.Csrf).
     */
    @Test
    void aGuestPostFromAnotherSiteOrWithoutOriginIsRefusedWithAClearMessageAndWritesNothing() {
        String page = TestServer.embedPath("forgery");
        server.client().get(page);

        HttpResponse<String> crossSite = rawPost(page, null, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
        HttpResponse<String> otherOrigin = rawPost(page, null, "Origin", "https://evil.example");
        HttpResponse<String> hostSite = rawPost(page, null, "Origin", TestServer.ORIGIN + ".evil.example");
        HttpResponse<String> opaque = rawPost(page, null, "Origin", "null");
        HttpResponse<String> noOrigin = rawPost(page, null);

        for (HttpResponse<String> refused : List.of(crossSite, otherOrigin, hostSite, opaque, noOrigin)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("nothing was posted").doesNotContain("Exception");
        }
        assertThat(crossSite.body()).contains("This form was sent from another site (https://evil.example)");
        assertThat(noOrigin.body()).contains("Your browser did not say which site this form was sent from");
        assertThat(server.client().get(page).body()).contains("No comments yet");

        HttpResponse<String> ours = rawPost(page, null, "Origin", server.base(), "Sec-Fetch-Site", "same-origin");
        assertThat(ours.statusCode()).as("the embed's own form: Parley's origin").isEqualTo(302);
    }

    @Test
    void aForgedSessionCookieWithAForgedTokenIsJustAGuestFromAnotherSite() {
        String page = TestServer.embedPath("forged-cookie");
        server.client().get(page);
        String forged = "parley_session=s1.AAAAAAAAAAAAAAAAAAAAAA.1.1893456000.abcd."
                + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        String token = "A".repeat(43);

        HttpResponse<String> cross = rawPost(page, forged, "Origin", "https://evil.example", "X-CSRF-Token", token);
        HttpResponse<String> none = rawPost(page, forged, "X-CSRF-Token", token);

        assertThat(cross.statusCode()).isEqualTo(403);
        assertThat(cross.body()).contains("This form was sent from another site (https://evil.example)");
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(server.client().get(page).body()).contains("No comments yet");
    }

    /** A guest's comment form posted with exactly these headers (name, value, …), as another page might. */
    private static HttpResponse<String> rawPost(String path, String cookie, String... headers) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("name=Mallory&body=forged"));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return org.parley.testing.Http.send(request.build());
    }

    @Test
    void anOversizedFormIsRefusedWith413() {
        String page = TestServer.embedPath("huge");
        WebClient guest = server.client();
        guest.get(page);
        HttpResponse<String> refused = guest.post(page, Map.of("name", "Big", "body", "x".repeat(100_000)));
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("Too large").doesNotContain("Exception");
    }
}
