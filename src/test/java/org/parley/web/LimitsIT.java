package org.parley.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.ParleyServer;
import org.parley.account.Avatars;
import org.parley.testing.MutableClock;
import org.parley.testing.Http;
import org.parley.testing.TestConfig;
import org.parley.testing.TestPostgres;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Avatars, body limits and rate-limit refusals over real HTTP. Most tests use a started Parley; those that need
 * a handler which reads a body or counts a rate (no Parley feature does yet) use a bare Jetty wired with the
 * same filters, form limit and error path as {@link ParleyServer}.
 */
class LimitsIT {
    private static final int HUNDRED_KIB = 100 * 1024;

    private static ParleyServer parley;
    private static String base;
    private static Server bare;
    private static String bareBase;

    @BeforeAll
    static void start() throws Exception {
        parley = ParleyServer.start(TestConfig.load(TestConfig.settingsFor(TestPostgres.shared().newDatabase(), 8)));
        base = "http://127.0.0.1:" + parley.port();
        bare = bareJetty();
        bare.start();
        bareBase = "http://127.0.0.1:" + ((ServerConnector) bare.getConnectors()[0]).getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bare != null) {
            bare.stop();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void anAvatarIsServedAsACacheableLockedDownSvg() {
        String key = Avatars.keyFor("ann@example.org", "Ann");

        var response = Http.get(base + "/avatar/" + key + ".svg");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'none'; style-src 'unsafe-inline'");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.body()).isEqualTo(Avatars.svg(key));
    }

    @Test
    void aMalformedAvatarKeyIsAStyledNotFound() {
        for (String path : new String[] {"/avatar/ABCDEF0123456789.svg", "/avatar/0123456789abcdef.png",
                "/avatar/0123.svg"}) {
            var response = Http.get(base + path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).contains("Skip to content", "No such avatar.");
        }
        // no route has this shape at all
        for (String path : new String[] {"/avatar/", "/avatar/0123456789abcdef.svg/x"}) {
            var response = Http.get(base + path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).contains("Skip to content", "There is no page at this address.");
        }
    }

    @Test
    void anOversizedPostIsRefusedWithAStyledPage() {
        var response = post(base + "/", "text=" + "x".repeat(HUNDRED_KIB));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/html"));
        assertThat(response.body())
                .contains("Skip to content", "<h1>Too large</h1>",
                        "The request is too large: this address accepts at most 64 KiB.")
                .doesNotContain("Exception", "at org.");
    }

    @Test
    void anOversizedApiPostIsAProblemWith413() {
        var response = post(base + "/api/comments", "{\"text\":\"" + "x".repeat(HUNDRED_KIB) + "\"}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body())
                .startsWith("{\"type\":\"about:blank\",\"title\":\"Too large\",\"status\":413,")
                .contains("\"detail\":\"The request is too large: this address accepts at most 64 KiB.\"");
    }

    @Test
    void aPostUnderTheLimitIsNotRefused() {
        var response = post(base + "/api/comments", "{\"text\":\"hello\"}");

        assertThat(response.statusCode()).isEqualTo(404); // no comment API yet: it got past the limit
    }

    @Test
    void aChunkedFormOverTheLimitIsRefusedByJettysFormCap() {
        var response = postChunked(bareBase + "/form", "text=" + "x".repeat(HUNDRED_KIB));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("<h1>Too large</h1>", "The request is too large.")
                .doesNotContain("Exception", "Unable to parse");
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWhileItIsRead() {
        var page = postChunked(bareBase + "/stream", "x".repeat(HUNDRED_KIB));
        var problem = postChunked(bareBase + "/api/stream", "x".repeat(HUNDRED_KIB));

        assertThat(page.statusCode()).isEqualTo(413);
        assertThat(page.body()).contains("<h1>Too large</h1>", "at most 64 KiB");
        assertThat(problem.statusCode()).isEqualTo(413);
        assertThat(problem.body()).contains("\"status\":413,", "at most 64 KiB");
    }

    @Test
    void chunkedBodiesUnderTheLimitAreReadWhole() {
        var form = postChunked(bareBase + "/form", "text=" + "x".repeat(1000));
        var stream = postChunked(bareBase + "/stream", "x".repeat(60 * 1024));

        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).isEqualTo("1000");
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).isEqualTo(Integer.toString(60 * 1024));
    }

    @Test
    void aRateLimitRefusalSaysWhenToComeBackInTheHeaderAndThePage() {
        for (int i = 0; i < 5; i++) {
            assertThat(Http.get(bareBase + "/post").statusCode()).isEqualTo(200);
        }

        var page = Http.get(bareBase + "/post");
        var problem = Http.get(bareBase + "/api/post");

        assertThat(page.statusCode()).isEqualTo(429);
        assertThat(page.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(page.body()).contains("<h1>Too many requests</h1>",
                "You are posting too fast. Try again in 1 minute.");
        assertThat(problem.statusCode()).isEqualTo(429);
        assertThat(problem.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(problem.body()).contains("\"status\":429,", "\"detail\":\"You are posting too fast.");
    }

    private static HttpResponse<String> post(String url, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** A body of unknown length: the client sends it chunked, with no Content-Length to check up front. */
    private static HttpResponse<String> postChunked(String url, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes())))
                .build());
    }

    /** ParleyServer's filters, form cap and error path, with handlers that read bodies and count a rate. */
    private static Server bareJetty() {
        var server = new Server();
        var connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        var pages = new ErrorPages(new Templates());
        var context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        context.setMaxFormContentSize(BodyLimitFilter.FORM_MAX_BYTES);
        var requests = EnumSet.of(DispatcherType.REQUEST);
        context.addFilter(new FilterHolder(new RequestLogFilter(false)), "/*", requests);
        context.addFilter(new FilterHolder(new ErrorFilter(pages)), "/*", requests);
        context.addFilter(new FilterHolder(new BodyLimitFilter(BodyLimitFilter.FORM_MAX_BYTES)), "/*", requests);
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print(req.getParameter("text").length());
            }
        }), "/form");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print(req.getInputStream().readAllBytes().length);
            }
        }), "/stream");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print(req.getInputStream().readAllBytes().length);
            }
        }), "/api/stream");
        var clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
        var limits = new RateLimits(new LocalCounters(clock), clock);
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                limits.check(RateLimits.POST_COMMENT, "test-subject");
            }
        }), "/post");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                limits.check(RateLimits.POST_COMMENT, "test-subject");
            }
        }), "/api/post");
        server.setHandler(context);
        return server;
    }
}
