package org.parley.discussion;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.Http;
import org.parley.testing.TestServer;
import org.parley.testing.WebClient;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer that can end up inside a host page's iframe lets the site's origins frame it — not only the embed's
 * 200: its 304 (Chromium merges a 304's headers into the copy it shows, so one saying {@code frame-ancestors 'self'}
 * blanked every returning reader's embed), the form shown again with its error, error pages (Parley's and the
 * container's), the 401 a guest's vote gets, and the pages reached from the embed. A host page on an origin the
 * site does not allow gets a page it can show, saying what to add where; everything else stays framable by Parley
 * alone. Real Chromium on the same paths: {@link CrossSiteEmbedBrowserIT}.
 */
class EmbedFramingIT {
    private static final String SITE_POLICY = "frame-ancestors " + TestServer.ORIGIN;
    private static final String SELF_ONLY = "frame-ancestors 'self'";
    private static final String STRANGER = "http://stranger.example:8081";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static long commentId;

    @BeforeAll
    static void start() {
        commentId = server.post(server.thread("framed"), null, "Something to vote on");
    }

    @Test
    void theEmbedAndItsRevalidationBothCarryTheSitesFramePolicy() {
        WebClient guest = server.client();
        HttpResponse<String> page = guest.get(TestServer.embedPath("framed"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(framing(page)).isEqualTo(SITE_POLICY);

        HttpResponse<String> again = guest.get(TestServer.embedPath("framed"),
                Map.of("If-None-Match", page.headers().firstValue("ETag").orElseThrow()));

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(framing(again)).as("the 304's policy replaces the cached copy's").isEqualTo(SITE_POLICY);
    }

    @Test
    void aGuestsVoteFromTheEmbedGetsAFramablePromptToSignInAndComeBack() {
        String back = TestServer.embedPath("framed") + "&sort=oldest";
        HttpResponse<String> refused = server.client().post("/c/" + commentId + "/vote",
                Map.of("value", "1", "return", back));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(framing(refused)).isEqualTo(SITE_POLICY);
        assertThat(refused.body())
                .contains("Sign in to vote.")
                .as("laid out for the frame: no site header").doesNotContain("class=\"site-header\"");
        assertThat(returnOf(refused.body(), "/signin")).isEqualTo(back);
        assertThat(returnOf(refused.body(), "/signup")).isEqualTo(back);
        assertThat(refused.body()).contains("<a href=\"" + back.replace("&", "&amp;") + "\">Back to the discussion</a>");
    }

    @Test
    void errorsOnTheEmbedAreFramableByTheSite() {
        WebClient guest = server.client();
        HttpResponse<String> noKey = guest.get("/embed/default?key=");
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(framing(noKey)).isEqualTo(SITE_POLICY);

        HttpResponse<String> noThread = guest.get("/embed/default?key=never-made&url=" + enc(STRANGER + "/post"));
        assertThat(noThread.statusCode()).isEqualTo(404);
        assertThat(framing(noThread)).isEqualTo(SITE_POLICY);
        assertThat(noThread.body()).as("why, for the site owner").contains("No such discussion yet: the embed starts one"
                + " only for a page on the site&#39;s allowed origins (" + TestServer.ORIGIN + "), and this page&#39;s"
                + " address (data-url) is " + STRANGER + "/post");

        HttpResponse<String> emptyComment = guest.post(TestServer.embedPath("framed"), Map.of("body", " "));
        assertThat(emptyComment.statusCode()).isEqualTo(400);
        assertThat(framing(emptyComment)).isEqualTo(SITE_POLICY);

        // raised by the container, not by a servlet: rendered on the error dispatch
        HttpResponse<String> wrongMethod = Http.send(HttpRequest.newBuilder(
                        URI.create(server.base() + TestServer.embedPath("framed")))
                .timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(framing(wrongMethod)).isEqualTo(SITE_POLICY);
    }

    @Test
    void pagesReachedFromTheEmbedAreFramableByTheSiteAndTheSamePagesElsewhereOnlyByParley() {
        String fromEmbed = "?return=" + enc(TestServer.embedPath("framed"));
        String fromPage = "?return=" + enc(TestServer.standalonePath("framed"));
        WebClient guest = server.client();
        for (String page : new String[] {"/signin", "/signup", "/c/" + commentId + "/reply", "/c/" + commentId + "/flag"}) {
            HttpResponse<String> inFrame = guest.get(page + fromEmbed);
            assertThat(inFrame.statusCode()).as(page).isEqualTo(200);
            assertThat(framing(inFrame)).as(page + " from the embed").isEqualTo(SITE_POLICY);
            assertThat(framing(guest.get(page + fromPage))).as(page + " from the standalone page").isEqualTo(SELF_ONLY);
        }
        assertThat(framing(guest.get(TestServer.standalonePath("framed")))).isEqualTo(SELF_ONLY);
    }

    @Test
    void aPermalinkInTheEmbedOpensInATabForItLeadsToTheStandalonePageWhichOnlyParleyMayFrame() {
        // target=_blank implies rel=noopener in every current browser
        String permalink = "<a href=\"/c/" + commentId + "\"";
        assertThat(server.client().get(TestServer.embedPath("framed")).body())
                .contains(permalink + " target=\"_blank\"><time>");
        assertThat(server.client().get(TestServer.standalonePath("framed")).body())
                .contains(permalink + "><time>");
    }

    @Test
    void aHostPageOnAnOriginTheSiteDoesNotAllowGetsFramableInstructions() {
        HttpResponse<String> refused = framedBy(TestServer.embedPath("framed"), STRANGER + "/articles/1");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(framing(refused)).as("shown where it was asked for (CSP cannot name an IPv6 host)")
                .isEqualTo("frame-ancestors *");
        assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(refused.body())
                .contains("this page is on " + STRANGER)
                .contains("href=\"/admin/sites/" + server.site().id() + "\"")
                .contains("Add " + STRANGER + " on a line of its own under “Origins allowed to embed this site”")
                .contains("<code>" + TestServer.ORIGIN + "</code>")
                .doesNotContain("Something to vote on");
    }

    @Test
    void theHostOriginComesFromTheRefererElseFromThePageAddressEmbedJsReported() {
        assertThat(framedBy(TestServer.embedPath("framed"), TestServer.ORIGIN + "/framed").statusCode()).isEqualTo(200);
        String strangersPage = "/embed/default?key=framed&url=" + enc(STRANGER + "/framed");
        assertThat(framedBy(strangersPage, null).statusCode()).as("no referrer: url= decides").isEqualTo(403);
        assertThat(framedBy(strangersPage, TestServer.ORIGIN + "/framed").statusCode())
                .as("the referrer is the frame's real parent").isEqualTo(200);
        assertThat(framedBy(TestServer.embedPath("framed"), server.base() + TestServer.embedPath("framed"))
                .statusCode()).as("Parley's own page navigating its frame").isEqualTo(200);
        // opened in a tab: nothing frames it, so nothing to refuse
        var inTab = Http.get(server.base() + TestServer.embedPath("framed"),
                "Sec-Fetch-Dest", "document", "Sec-Fetch-Site", "cross-site", "Referer", STRANGER + "/");
        assertThat(inTab.statusCode()).isEqualTo(200);
    }

    @Test
    void anEmbedOfASiteThatDoesNotExistSaysSoInTheFrameThatAskedForIt() {
        HttpResponse<String> missing = framedBy("/embed/no-such-site?key=x", STRANGER + "/");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("No such site.");
        assertThat(framing(missing)).isEqualTo("frame-ancestors *");
    }

    /** The embed as Chromium loads it into a host page's iframe: fetch metadata, and the page as referrer. */
    private static HttpResponse<String> framedBy(String path, String referer) {
        var request = HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(Duration.ofSeconds(10))
                .header("Sec-Fetch-Dest", "iframe")
                .header("Sec-Fetch-Mode", "navigate")
                .header("Sec-Fetch-Site", "cross-site");
        if (referer != null) {
            request.header("Referer", referer);
        }
        return Http.send(request.GET().build());
    }

    /** Where a link of the page to {@code path} sends the visitor back to (its decoded {@code return}). */
    private static String returnOf(String html, String path) {
        Matcher link = Pattern.compile("href=\"" + Pattern.quote(path + "?return=") + "([^\"]+)\"").matcher(html);
        assertThat(link.find()).as("a link to " + path + " in:\n" + html).isTrue();
        return URLDecoder.decode(link.group(1).replace("&amp;", "&"), StandardCharsets.UTF_8);
    }

    /** The frame-ancestors directive of the response's Content-Security-Policy. */
    static String framing(HttpResponse<String> response) {
        String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow(() ->
                new AssertionError("no Content-Security-Policy on " + response.statusCode() + " " + response.uri()));
        int start = csp.indexOf("frame-ancestors");
        assertThat(start).as(csp).isNotNegative();
        int end = csp.indexOf(';', start);
        return (end < 0 ? csp.substring(start) : csp.substring(start, end)).strip();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
