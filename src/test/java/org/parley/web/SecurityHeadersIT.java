package org.parley.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.testing.RawHttp;
import org.parley.testing.TestServer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every response carries the security headers — including what Jetty answers by itself before any servlet runs
 * (a malformed request line, a URI or headers too long) — and TRACE never echoes a request back. Raw sockets,
 * because an HTTP client library will not send what these requests send.
 */
class SecurityHeadersIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "TRACK"})
    void traceIsRefusedAndEchoesNothing(String method) {
        var response = RawHttp.send(port(), method, "/", "127.0.0.1", List.of("Cookie: parley_session=secret-value",
                "X-Echo-Me: 1"), null);

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers("Allow")).containsExactly(MethodFilter.ALLOW);
        assertThat(response.body()).doesNotContain("secret-value", "X-Echo-Me").contains("does not accept " + method);
        assertSecurityHeaders(response);
    }

    @Test
    void optionsNoLongerOffersTrace() {
        var response = RawHttp.send(port(), "OPTIONS", "/t/default/x", "127.0.0.1", List.of(), null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers("Allow")).singleElement().asString().contains("GET", "POST")
                .doesNotContain("TRACE");
    }

    @Test
    void aUriTooLongIsRefusedWithTheHeaders() {
        var response = raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(414);
        assertSecurityHeaders(response);
        assertThat(response.body()).contains("The address is too long.");
    }

    @Test
    void headersTooLargeAreRefusedWithTheHeaders() {
        var response = raw("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: c=" + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(431);
        assertSecurityHeaders(response);
        assertThat(response.body()).contains("headers are too large");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\nConnection: close\r\n\r\n",
        "GET /c/%2e%2e HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "GET /t/default/a%00b HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\nConnection: close\r\n\r\n",
        "GET /\u0001 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    })
    void aMalformedRequestIsRefusedWithTheHeaders(String request) {
        var response = raw(request);

        assertThat(response.status()).isEqualTo(400);
        assertSecurityHeaders(response);
        assertThat(response.body()).contains("could not be understood");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithTheHeaders() {
        var response = RawHttp.send(port(), "POST", "/t/default/x", "127.0.0.1", List.of("Origin: http://127.0.0.1"),
                "body=" + "x".repeat(BodyLimitFilter.FORM_MAX_BYTES + 1));

        assertThat(response.status()).isEqualTo(413);
        assertSecurityHeaders(response);
    }

    @Test
    void anOrdinaryErrorPageHasThemToo() {
        var response = RawHttp.send(port(), "GET", "/no/such/page", "127.0.0.1", List.of(), null);

        assertThat(response.status()).isEqualTo(404);
        assertSecurityHeaders(response);
    }

    private static void assertSecurityHeaders(RawHttp.Response response) {
        assertThat(response.headers("Content-Security-Policy")).singleElement().asString()
                .contains("default-src 'self'", "script-src 'self'", "frame-ancestors");
        assertThat(response.headers("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(response.headers("Referrer-Policy")).containsExactly("strict-origin-when-cross-origin");
    }

    private static int port() {
        return server.parley().port();
    }

    private static RawHttp.Response raw(String request) {
        return RawHttp.sendExactly(port(), request);
    }
}
