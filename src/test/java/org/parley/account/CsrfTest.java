package org.parley.account;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.testing.Http;
import org.parley.testing.TestJetty;
import org.parley.web.BundleMessageResolver;
import org.parley.web.ErrorFilter;
import org.parley.web.ErrorPages;
import org.parley.web.KeyRing;
import org.parley.web.Templates;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class CsrfTest {
    private static final byte[] OLD = KeyRing.generateKey();
    private static final KeyRing KEYS = KeyRing.of(List.of(OLD));
    private static final Csrf CSRF = new Csrf(KEYS, URI.create("http://localhost"));

    private static TestJetty server;

    @BeforeAll
    static void start() {
        var sessions = new Sessions(KEYS, URI.create("http://localhost"));
        server = TestJetty.start(List.of(new ErrorFilter(new ErrorPages(new Templates())), new SessionFilter(sessions)),
                new FormServlet(CSRF, sessions));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A refusal as a visitor without Accept-Language reads it. */
    private static String english(String key) {
        return BundleMessageResolver.required(Locale.ENGLISH, key);
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

        var rotated = new Csrf(KeyRing.of(List.of(next, OLD)), URI.create("http://localhost"));
        assertThat(rotated.matches(before, visitor)).isTrue();
        assertThat(rotated.token(visitor)).isNotEqualTo(before);
        assertThat(new Csrf(KeyRing.of(List.of(next)), URI.create("http://localhost")).matches(before, visitor)).isFalse();
    }

    @Test
    void aMembersPostWithTheTokenOfItsSessionIsAccepted() {
        var form = memberForm();

        var byField = post(form.cookie(), "csrf=" + form.token(), null);
        var byHeader = post(form.cookie(), "", form.token());

        assertThat(byField.statusCode()).isEqualTo(200);
        assertThat(byField.body()).isEqualTo("posted");
        assertThat(byHeader.statusCode()).isEqualTo(200);
    }

    @Test
    void aMembersPostWithoutTheRightTokenIsRefusedWithASentenceToReloadEvenFromTheSameOrigin() {
        var form = memberForm();
        var otherMember = memberForm();

        for (var response : List.of(
                post(form.cookie(), "", null),
                post(form.cookie(), "csrf=", null),
                post(form.cookie(), "csrf=" + otherMember.token(), null),
                post(form.cookie(), "", "garbage"),
                post(form.cookie(), "", null, "Origin", server.base(), "Sec-Fetch-Site", "same-origin"))) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains(english(Csrf.REFUSED));
        }
    }

    @Test
    void aGuestsPostFromTheSameOriginIsAcceptedWithoutAToken() {
        for (var response : List.of(
                post(null, "", null, "Origin", "http://localhost"),
                post(null, "", null, "Origin", server.base()),
                post(null, "", null, "Sec-Fetch-Site", "same-origin"),
                post(null, "", null, "Sec-Fetch-Site", "same-origin", "Origin", server.base()))) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("posted");
        }
    }

    @Test
    void aGuestsPostFromAnotherSiteOrFromNowhereIsRefusedSayingWhy() {
        var crossSite = post(null, "", null, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
        var otherOrigin = post(null, "", null, "Origin", "https://evil.example");
        var sameSite = post(null, "", null, "Origin", "http://sub.localhost", "Sec-Fetch-Site", "same-site");
        var otherPort = post(null, "", null, "Origin", "http://localhost:9999");
        var opaque = post(null, "", null, "Origin", "null");
        var nothing = post(null, "", null);
        var guestToken = post(null, "csrf=" + CSRF.token(Session.anonymous(Instant.now())), null);

        assertThat(List.of(crossSite, otherOrigin, sameSite, otherPort, opaque, nothing, guestToken))
                .allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(403));
        assertThat(crossSite.body()).contains("This form was sent from another site (https://evil.example)");
        assertThat(otherOrigin.body()).contains("This form was sent from another site (https://evil.example)");
        assertThat(sameSite.body()).contains("(http://sub.localhost)");
        assertThat(otherPort.body()).contains("(http://localhost:9999)");
        assertThat(opaque.body()).contains("This form was sent from another site");
        assertThat(nothing.body()).contains(english(Csrf.NO_ORIGIN));
        assertThat(guestToken.body()).as("a guest's token proves nothing").contains(english(Csrf.NO_ORIGIN));
    }

    @Test
    void aForgedMemberCookieIsAGuestAndNeedsTheSameOrigin() {
        var form = memberForm();
        // change the MAC's first character: the last one may carry only padding bits, so flipping it can leave the
        // decoded bytes, and the signature, unchanged
        String cookie = form.cookie();
        int mac = cookie.lastIndexOf('.') + 1;
        String forged = cookie.substring(0, mac) + (cookie.charAt(mac) == 'A' ? 'B' : 'A') + cookie.substring(mac + 1);

        var refused = post(forged, "csrf=" + form.token(), null, "Origin", "https://evil.example");
        var noOrigin = post(forged, "csrf=" + form.token(), null);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("This form was sent from another site (https://evil.example)");
        assertThat(noOrigin.statusCode()).isEqualTo(403);
        assertThat(noOrigin.body()).contains(english(Csrf.NO_ORIGIN));
    }

    /** A signed-in member's form page as a browser gets it: the session cookie and the token rendered for it. */
    private record Form(String cookie, String token) {
    }

    private static Form memberForm() {
        var response = Http.get(server.base() + "/form?member", "Accept", "text/html");
        String cookie = response.headers().allValues("Set-Cookie").stream()
                .filter(h -> h.startsWith(Sessions.COOKIE + "=")).findFirst().orElseThrow().split(";")[0];
        return new Form(cookie, response.body());
    }

    private static HttpResponse<String> post(String cookie, String body, String token, String... headers) {
        var request = HttpRequest.newBuilder(URI.create(server.base() + "/form"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (token != null) {
            request.header(Csrf.HEADER, token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return Http.send(request.build());
    }

    /** GET: signs in with ?member, then answers the token for this visitor; POST: "posted" once the check passes. */
    private static final class FormServlet extends HttpServlet {
        private final Csrf csrf;
        private final Sessions sessions;

        FormServlet(Csrf csrf, Sessions sessions) {
            this.csrf = csrf;
            this.sessions = sessions;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (req.getParameter("member") != null) {
                sessions.signIn(req, resp, new Account(42, "member@example.com", "Member", false));
            }
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
