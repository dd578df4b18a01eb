package org.parley.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.account.KeyRing;
import org.parley.account.Session;
import org.parley.account.SessionFilter;
import org.parley.account.Sessions;
import org.parley.testing.Http;
import org.parley.testing.TestJetty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsrfTest {
    private static final byte[] OLD = KeyRing.generateKey();
    private static final KeyRing KEYS = KeyRing.of(List.of(OLD));
    private static final Csrf CSRF = new Csrf(KEYS);

    private static TestJetty server;

    @BeforeAll
    static void start() {
        var sessions = new Sessions(KEYS, URI.create("http://localhost"));
        server = TestJetty.start(List.of(new ErrorFilter(new ErrorPages(new Templates())), new SessionFilter(sessions)),
                new FormServlet(CSRF));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theTokenIsDerivedFromTheVisitorAlone() {
        var visitor = new Session(Session.newVisitorId(), null, Instant.now());
        var sameVisitorLater = new Session(visitor.visitorId(), 5L, Instant.now().plusSeconds(60));
        var otherVisitor = Session.anonymous(Instant.now());

        assertThat(CSRF.token(visitor)).matches("[A-Za-z0-9_-]{43}");
        assertThat(CSRF.token(sameVisitorLater)).isEqualTo(CSRF.token(visitor));
        assertThat(CSRF.matches(CSRF.token(visitor), visitor)).isTrue();
        assertThat(CSRF.matches(CSRF.token(otherVisitor), visitor)).isFalse();
        assertThat(CSRF.matches(null, visitor)).isFalse();
        assertThat(CSRF.matches("", visitor)).isFalse();
        assertThat(CSRF.matches("not a token", visitor)).isFalse();
        assertThat(CSRF.matches(CSRF.token(visitor).substring(1), visitor)).isFalse();
    }

    @Test
    void aFormOpenedBeforeAKeyRotationStillPostsUntilTheOldKeyIsRemoved() {
        var visitor = Session.anonymous(Instant.now());
        String before = CSRF.token(visitor);
        byte[] next = KeyRing.generateKey();

        var rotated = new Csrf(KeyRing.of(List.of(next, OLD)));
        assertThat(rotated.matches(before, visitor)).isTrue();
        assertThat(rotated.token(visitor)).isNotEqualTo(before);
        assertThat(new Csrf(KeyRing.of(List.of(next))).matches(before, visitor)).isFalse();
    }

    @Test
    void aPostWithTheTokenOfItsSessionIsAccepted() {
        var form = get();

        var byField = post(form.cookie(), "csrf=" + form.token(), null);
        var byHeader = post(form.cookie(), "", form.token());

        assertThat(byField.statusCode()).isEqualTo(200);
        assertThat(byField.body()).isEqualTo("posted");
        assertThat(byHeader.statusCode()).isEqualTo(200);
    }

    @Test
    void aPostWithoutTheRightTokenIsRefusedWithASentenceToReload() {
        var form = get();
        var otherVisitor = get();

        for (var response : List.of(
                post(form.cookie(), "", null),
                post(form.cookie(), "csrf=", null),
                post(form.cookie(), "csrf=" + otherVisitor.token(), null),
                post(form.cookie(), "", "garbage"),
                post(null, "csrf=" + form.token(), null))) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains(
                    "This form has expired or was not sent from this site. Reload the page and try again.");
        }
    }

    /** A form page as a browser gets it: the new guest's cookie and the token rendered for that guest. */
    private record Form(String cookie, String token) {
    }

    private static Form get() {
        var response = Http.get(server.base() + "/form", "Accept", "text/html");
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        return new Form(cookie, response.body());
    }

    private static HttpResponse<String> post(String cookie, String body, String header) {
        var request = HttpRequest.newBuilder(URI.create(server.base() + "/form"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (header != null) {
            request.header(Csrf.HEADER, header);
        }
        return Http.send(request.build());
    }

    /** GET: the token for this visitor; POST: "posted" once the token checks out. */
    private static final class FormServlet extends HttpServlet {
        private final Csrf csrf;

        FormServlet(Csrf csrf) {
            this.csrf = csrf;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print(csrf.token(SessionFilter.of(req)));
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            csrf.check(req, SessionFilter.of(req));
            resp.setContentType("text/plain");
            resp.getWriter().print("posted");
        }
    }
}
