package org.parley.ops;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.parley.testing.Http;
import org.parley.testing.TestJetty;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Page requests beyond the limit wait their turn; health probes never wait behind them. */
class RequestLimitTest {

    @Test
    void aProbeIsAnsweredWhilePageRequestsFillTheLimitAndQueue() throws Exception {
        var release = new CountDownLatch(1);
        var limit = new RequestLimit(1);
        HttpServlet servlet = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getRequestURI().equals("/slow")) {
                    try {
                        release.await(30, TimeUnit.SECONDS); // a page waiting on a slow database
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                resp.getWriter().print("done " + req.getRequestURI());
            }
        };
        try (TestJetty jetty = TestJetty.start(List.of(limit), servlet)) {
            var first = CompletableFuture.supplyAsync(() -> Http.get(jetty.base() + "/slow").body());
            var second = CompletableFuture.supplyAsync(() -> Http.get(jetty.base() + "/slow").body());
            await().atMost(Duration.ofSeconds(10)).until(() -> limit.waiting() == 1);

            assertThat(Http.get(jetty.base() + "/readyz").body()).isEqualTo("done /readyz");
            assertThat(Http.get(jetty.base() + "/healthz").body()).isEqualTo("done /healthz");
            assertThat(second).as("a page request waits its turn").isNotDone();

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("done /slow");
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("done /slow");
        }
    }
}
