package org.parley.feed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.TestServer;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The recent-comments widget's data: newest first, plain-text excerpts, public and cacheable, a bad limit named. */
class RecentCommentsIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void theNewestVisibleCommentsComeAsPlainTextExcerpts() {
        var thread = server.thread("recent-one");
        server.post(thread, null, "Older");
        server.post(thread, null, "A *newer* one with a [link](https://example.org) & an email a@b.example "
                + "word ".repeat(60));

        HttpResponse<String> recent = server.client().get("/recent/default?limit=1");

        assertThat(recent.statusCode()).isEqualTo(200);
        assertThat(recent.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(recent.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(recent.body()).contains("\"excerpt\":\"A newer one with a link & an email a@b.example word word",
                "word…\"", "\"author\":\"Guest\"", "\"thread\":\"recent-one\"", "/c/")
                .doesNotContain("Older", "<em>", "\\u003cem");
    }

    @Test
    void aBadLimitIsNamed() {
        HttpResponse<String> refused = server.client().get("/recent/default?limit=500");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("limit is a number from 1 to 50.");
        assertThat(server.client().get("/recent/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void anExcerptIsCutAtAWord() {
        String cut = RecentComments.excerpt("<p>" + "abcdefghi ".repeat(30) + "</p>");

        assertThat(cut).endsWith("abcdefghi…").hasSizeLessThanOrEqualTo(RecentComments.EXCERPT + 1);
    }
}
