package org.parley.data;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.testing.Http;
import org.parley.testing.TestJetty;
import org.parley.web.CookieAttributes;
import org.parley.web.KeyRing;
import org.parley.web.ReadRoutingFilter;
import org.parley.web.WritePositionCookie;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract between RoutedReads and ReadRoutingFilter: a read whose replica connection broke (RoutedReads marks
 * the replica down and flags the request) is served again for GET, never for POST, and never after the body began.
 */
class ReplicaRetryTest {
    private static final AtomicInteger runs = new AtomicInteger();
    private static TestJetty jetty;

    /** Fails its first run the way a dead replica connection does; "?late" fails after the body began. */
    static final class FlakyRead extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            if (runs.incrementAndGet() == 1) {
                if (req.getParameter("late") != null) {
                    resp.getWriter().write("partial");
                    resp.flushBuffer();
                }
                ReadYourWrites.replicaFailed();
                throw new IllegalStateException("An I/O error occurred while sending to the backend");
            }
            resp.getWriter().write("served on run " + runs.get());
        }
    }

    @BeforeAll
    static void start() {
        KeyRing keys = KeyRing.of(List.of(KeyRing.generateKey()));
        var cookie = new WritePositionCookie(keys, new CookieAttributes(URI.create("http://localhost")),
                Duration.ofSeconds(15), Clock.systemUTC());
        jetty = TestJetty.start(List.of(new ReadRoutingFilter(cookie)), new FlakyRead());
    }

    @AfterAll
    static void stop() {
        jetty.close();
    }

    @Test
    void aGetIsServedAgainAfterItsReplicaWentAway() {
        runs.set(0);
        var response = Http.get(jetty.base() + "/page");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("served on run 2");
    }

    @Test
    void aPostIsNeverRunTwice() {
        runs.set(0);
        var response = Http.send(HttpRequest.newBuilder(URI.create(jetty.base() + "/page"))
                .POST(HttpRequest.BodyPublishers.ofString("")).build());
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aResponseAlreadyStartedIsNotServedAgain() {
        runs.set(0);
        try {
            Http.get(jetty.base() + "/page?late");
        } catch (RuntimeException cutShort) {
            // the client may see the connection end mid-body: what matters is that the handler ran once
        }
        assertThat(runs.get()).isEqualTo(1);
    }
}
