package org.parley.account;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.testing.MutableClock;
import org.parley.testing.RawHttp;
import org.parley.testing.TestJetty;
import org.parley.web.KeyRing;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cookie codec directly, then the filter and sign-in/out over real HTTP, where the Set-Cookie text that
 * browsers see can be checked exactly.
 */
class SessionsTest {
    private static final KeyRing KEYS = KeyRing.of(List.of(KeyRing.generateKey()));
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
    private static final Sessions SESSIONS = new Sessions(KEYS, URI.create("http://localhost:8080"), CLOCK);
    private static final String HTML = "Accept: text/html,application/xhtml+xml,*/*;q=0.8";
    private static final String VALUE = "s2\\.[A-Za-z0-9_-]{22}\\.[0-9]*\\.[0-9]+\\.[0-9]+\\.[A-Za-z0-9_-]{4}\\.[A-Za-z0-9_-]{43}";
    private static final String SECURE = "; Path=/; Max-Age=2592000; HttpOnly; Secure; SameSite=None; Partitioned";
    private static final String PLAIN = "; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax";

    private static TestJetty http;
    private static TestJetty https;

    @BeforeAll
    static void start() {
        http = TestJetty.start(List.of(new SessionFilter(SESSIONS)), new Probe(SESSIONS));
        var behindTls = new Sessions(KEYS, URI.create("https://comments.example.com"), CLOCK);
        https = TestJetty.start(List.of(new SessionFilter(behindTls)), new Probe(behindTls));
    }

    @AfterAll
    static void stop() {
        http.close();
        https.close();
    }

    // --- the cookie value

    @Test
    void aSessionSurvivesTheRoundTripThroughItsCookie() {
        Instant now = CLOCK.instant();
        var guest = new Session(Session.newVisitorId(), null, now);
        var member = new Session(Session.newVisitorId(), 4_000_000_000L, now);

        assertThat(SESSIONS.encode(guest)).matches(VALUE);
        assertThat(SESSIONS.decode(SESSIONS.encode(guest))).hasValue(guest);
        assertThat(SESSIONS.decode(SESSIONS.encode(member))).hasValue(member);
        assertThat(guest.signedIn()).isFalse();
        assertThat(member.signedIn()).isTrue();

        var signedOutOnce = new Session(Session.newVisitorId(), 5L, now, 3);
        assertThat(SESSIONS.decode(SESSIONS.encode(signedOutOnce))).hasValue(signedOutOnce);
        // a cookie from before generations existed still signs its member in, as generation 0
        assertThat(SESSIONS.decode(KEYS.sign("s1.AAAAAAAAAAAAAAAAAAAAAA.5." + now.getEpochSecond())))
                .hasValue(new Session("AAAAAAAAAAAAAAAAAAAAAA", 5L, now, 0));
    }

    @Test
    void aForgedTamperedOrMalformedCookieIsNoSession() {
        var session = new Session(Session.newVisitorId(), 7L, CLOCK.instant());
        String value = SESSIONS.encode(session);
        String[] parts = value.split("\\.", -1);
        Sessions otherKeys = new Sessions(KeyRing.of(List.of(KeyRing.generateKey())), URI.create("http://x"), CLOCK);

        assertThat(SESSIONS.decode(value.replace("." + 7 + ".", ".1.")))
                .as("account id changed").isEmpty();
        assertThat(SESSIONS.decode(String.join(".", parts[0], parts[1], parts[2], parts[3], parts[4],
                parts[5].charAt(0) == 'A' ? "B" + parts[5].substring(1) : "A" + parts[5].substring(1))))
                .as("mac changed").isEmpty();
        assertThat(SESSIONS.decode(otherKeys.encode(session))).as("signed with another key").isEmpty();
        assertThat(SESSIONS.decode(value.substring(0, value.length() - 10))).as("truncated").isEmpty();
        assertThat(SESSIONS.decode(value.substring(10))).as("front cut off").isEmpty();
        assertThat(SESSIONS.decode("s1.garbage..1.abcd.xyz")).as("garbage").isEmpty();
        assertThat(SESSIONS.decode("")).as("empty").isEmpty();
        assertThat(SESSIONS.decode(KEYS.sign("s1.not-a-visitor-id..1"))).as("signed, but not a session").isEmpty();
        long now = CLOCK.instant().getEpochSecond();
        assertThat(SESSIONS.decode(KEYS.sign("s1.AAAAAAAAAAAAAAAAAAAAAA.7." + now + ".3"))).as("s1 had no generation")
                .isEmpty();
        assertThat(SESSIONS.decode(KEYS.sign("s2.AAAAAAAAAAAAAAAAAAAAAA.7." + now))).as("s2 must have one").isEmpty();
    }

    @Test
    void aCookieExpiresThirtyDaysAfterItWasIssued() {
        var session = new Session(Session.newVisitorId(), null, CLOCK.instant().minus(Duration.ofDays(30)));

        assertThat(SESSIONS.decode(SESSIONS.encode(session))).isEmpty();
        var younger = new Session(session.visitorId(), null, session.issuedAt().plusSeconds(1));
        assertThat(SESSIONS.decode(SESSIONS.encode(younger))).hasValue(younger);
    }

    @Test
    void cookiesSignedByAKeyThatWasRotatedOutOfFrontStillWork() {
        byte[] oldKey = KeyRing.generateKey();
        var before = new Sessions(KeyRing.of(List.of(oldKey)), URI.create("http://x"), CLOCK);
        var after = new Sessions(KeyRing.of(List.of(KeyRing.generateKey(), oldKey)), URI.create("http://x"), CLOCK);
        var session = new Session(Session.newVisitorId(), 3L, CLOCK.instant());

        assertThat(after.decode(before.encode(session))).hasValue(session);
        assertThat(before.decode(after.encode(session))).as("the new key is not known before").isEmpty();
    }

    // --- over HTTP

    @Test
    void aGuestsPageViewSetsNoCookieSoThePageCanBeShared() {
        var response = get(http, "localhost", "/page");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers("Set-Cookie")).isEmpty();
        assertThat(response.body()).endsWith(" guest");
    }

    @Test
    void aSignInOnLocalhostSetsASecurePartitionedCookieAndAReadableMemberHint() {
        var response = get(http, "localhost", "/signin");

        assertThat(sessionCookies(response)).singleElement().satisfies(header ->
                assertThat(header).matches("parley_session=" + VALUE + SECURE.replace(".", "\\.")));
        assertThat(response.body()).isEqualTo(visitorIn(sessionCookies(response).getFirst()) + " 42");
        assertThat(response.headers("Set-Cookie")).contains(
                "parley_member=1; Path=/; Max-Age=2592000; Secure; SameSite=None; Partitioned");
    }

    @Test
    void loopbackAddressesAreSecureContextsToo() {
        for (String host : List.of("127.0.0.1", "[::1]", "localhost:8080", "app.localhost")) {
            assertThat(sessionCookies(get(http, host, "/signin"))).as(host)
                    .singleElement().satisfies(header -> assertThat(header).endsWith(SECURE));
        }
    }

    @Test
    void overPlainHttpElsewhereTheCookieIsLaxAndNotSecure() {
        var response = get(http, "comments.example.test", "/signin");

        assertThat(sessionCookies(response)).singleElement().satisfies(header ->
                assertThat(header).matches("parley_session=" + VALUE + PLAIN));
    }

    @Test
    void anHttpsPublicUrlMakesTheCookieSecureBehindATlsProxy() {
        var response = get(https, "comments.example.com", "/signin");

        assertThat(sessionCookies(response)).singleElement().satisfies(header ->
                assertThat(header).endsWith(SECURE));
    }

    @Test
    void aFreshCookieIsKeptAsIsAndAnOldOneIsRewrittenForTheSameVisitor() {
        String cookie = cookieOf(post(http, "/signin", List.of()));
        String visitor = visitorIn(cookie);

        var fresh = get(http, "localhost", "/", "Cookie: " + cookie + "; parley_member=1");
        assertThat(fresh.headers("Set-Cookie")).isEmpty();
        assertThat(get(http, "localhost", "/", "Cookie: " + cookie).headers("Set-Cookie"))
                .as("a signed-in page view without the member hint gets it back")
                .containsExactly("parley_member=1; Path=/; Max-Age=2592000; Secure; SameSite=None; Partitioned");
        assertThat(fresh.body()).isEqualTo(visitor + " 42");

        CLOCK.advance(Duration.ofDays(1));
        var dayOld = get(http, "localhost", "/", "Cookie: " + cookie);
        assertThat(dayOld.body()).isEqualTo(visitor + " 42");
        String rewritten = cookieOf(dayOld);
        assertThat(visitorIn(rewritten)).isEqualTo(visitor);
        assertThat(SESSIONS.decode(rewritten.substring(Sessions.COOKIE.length() + 1)))
                .hasValueSatisfying(s -> assertThat(s.issuedAt()).isEqualTo(CLOCK.instant()));
    }

    @Test
    void onlyHtmlPageViewsRewriteAnOldSignedInCookie() {
        String dayOld = "Cookie: parley_session=" + SESSIONS.encode(
                new Session(Session.newVisitorId(), 42L, CLOCK.instant().minus(Duration.ofDays(2))));
        String oldGuest = "Cookie: parley_session=" + SESSIONS.encode(
                new Session(Session.newVisitorId(), null, CLOCK.instant().minus(Duration.ofDays(2))));

        assertThat(RawHttp.send(http.port(), "GET", "/", "localhost", List.of(dayOld), null).headers("Set-Cookie"))
                .as("no Accept: text/html (a probe, a script)").isEmpty();
        assertThat(RawHttp.send(http.port(), "POST", "/", "localhost", List.of(HTML, dayOld), "a=b").headers("Set-Cookie"))
                .as("a POST").isEmpty();
        assertThat(sessionCookies(RawHttp.send(http.port(), "HEAD", "/", "localhost", List.of(HTML, dayOld), null)))
                .as("HEAD is a page view").hasSize(1);
        assertThat(RawHttp.send(http.port(), "GET", "/", "localhost", List.of(HTML, oldGuest), null).headers("Set-Cookie"))
                .as("a guest's page may be shared: never a cookie").isEmpty();
    }

    @Test
    void aBadCookieIsAFreshGuestNeverAnError() {
        var old = new Session(Session.newVisitorId(), 42L, CLOCK.instant().minus(Sessions.MAX_AGE));
        String expired = "parley_session=" + SESSIONS.encode(old);
        List<String> cookies = List.of(
                "Cookie: parley_session=s1.AAAAAAAAAAAAAAAAAAAAAA.42.1.abcd.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "Cookie: " + expired,
                "Cookie: parley_session=\"\\\u00ff;;;=; parley_session; =x",
                "Cookie: parley_session=");
        for (String cookie : cookies) {
            var response = get(http, "localhost", "/", cookie);
            assertThat(response.status()).as(cookie).isEqualTo(200);
            assertThat(response.body()).as(cookie).endsWith(" guest");
            assertThat(response.headers("Set-Cookie")).as(cookie).isEmpty();
        }
    }

    @Test
    void signingInGivesANewVisitorIdSoAPlantedOneIsWorthless() {
        String planted = "parley_session=" + SESSIONS.encode(Session.anonymous(CLOCK.instant()));

        var signedIn = post(http, "/signin", List.of("Cookie: " + planted));

        String cookie = cookieOf(signedIn);
        assertThat(visitorIn(cookie)).isNotEqualTo(visitorIn(planted));
        assertThat(signedIn.body()).isEqualTo(visitorIn(cookie) + " 42");
        assertThat(sessionCookies(signedIn)).hasSize(1);
    }

    @Test
    void aSignInDuringAPageViewReplacesTheFiltersCookieInsteadOfAddingASecond() {
        String dayOld = "Cookie: parley_session=" + SESSIONS.encode(
                new Session(Session.newVisitorId(), 7L, CLOCK.instant().minus(Duration.ofDays(2))));
        var response = RawHttp.send(http.port(), "GET", "/signin", "localhost", List.of(HTML, dayOld), null);

        assertThat(sessionCookies(response)).singleElement().satisfies(header ->
                assertThat(header).startsWith("parley_session=s2." + response.body().split(" ")[0] + ".42."));
        assertThat(sessionCookies(response).getFirst()).endsWith(SECURE);
        assertThat(response.headers("Set-Cookie").stream().filter(h -> h.startsWith("parley_member="))).hasSize(1);
    }

    @Test
    void signingOutLeavesAFreshGuest() {
        String member = cookieOf(post(http, "/signin", List.of()));

        var signedOut = post(http, "/signout", List.of("Cookie: " + member));

        String guest = cookieOf(signedOut);
        assertThat(signedOut.body()).isEqualTo(visitorIn(guest) + " guest");
        assertThat(visitorIn(guest)).isNotEqualTo(visitorIn(member));
        assertThat(signedOut.headers("Set-Cookie")).as("the member hint is dropped")
                .anySatisfy(header -> assertThat(header).startsWith("parley_member=; Path=/; Max-Age=0;"));
        assertThat(get(http, "localhost", "/", "Cookie: " + guest).body()).isEqualTo(visitorIn(guest) + " guest");
    }

    @Test
    void theSessionIsTheSameObjectForTheWholeRequest() {
        var response = get(http, "localhost", "/twice");

        assertThat(response.body()).isEqualTo("same");
    }

    private static RawHttp.Response get(TestJetty server, String host, String path, String... headers) {
        List<String> all = new ArrayList<>(List.of(HTML));
        all.addAll(List.of(headers));
        return RawHttp.send(server.port(), "GET", path, host, all, null);
    }

    private static RawHttp.Response post(TestJetty server, String path, List<String> headers) {
        return RawHttp.send(server.port(), "POST", path, "localhost", headers, "");
    }

    /** "parley_session=…" from the response's only session Set-Cookie, ready for a Cookie header. */
    private static String cookieOf(RawHttp.Response response) {
        assertThat(sessionCookies(response)).hasSize(1);
        return sessionCookies(response).getFirst().split(";")[0];
    }

    private static List<String> sessionCookies(RawHttp.Response response) {
        return response.headers("Set-Cookie").stream().filter(h -> h.startsWith(Sessions.COOKIE + "=")).toList();
    }

    private static String visitorIn(String cookie) {
        return cookie.split("=", 2)[1].split("\\.")[1];
    }

    /** Answers "visitorId accountId-or-guest" after doing what the path says. */
    private static final class Probe extends HttpServlet {
        private final Sessions sessions;

        Probe(Sessions sessions) {
            this.sessions = sessions;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            switch (req.getRequestURI()) {
                case "/signin" -> sessions.signIn(req, resp, new Account(42, "member@example.com", "Member", false));
                case "/signout" -> sessions.signOut(req, resp);
                case "/twice" -> {
                    resp.getWriter().print(SessionFilter.of(req) == sessions.current(req) ? "same" : "different");
                    return;
                }
                default -> { }
            }
            Session session = SessionFilter.of(req);
            resp.setContentType("text/plain");
            resp.getWriter().print(session.visitorId() + " " + (session.signedIn() ? session.accountId() : "guest"));
        }
    }
}
