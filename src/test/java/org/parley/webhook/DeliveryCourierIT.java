package org.parley.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.outbox.DeliveryFailure;
import org.parley.site.EventType;
import org.parley.testing.TestServer;
import org.parley.web.Json;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A receiver that answers its headers and then nothing (a slow or hostile server) cannot hold a delivery, and with
 * it the outbox batch and every mail behind it: the delivery fails as temporary at its deadline and is retried.
 */
class DeliveryCourierIT {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void aReceiverThatStallsAfterItsHeadersFailsAtTheDeadline() throws Exception {
        try (ServerSocket stalling = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket client = stalling.accept()) {
                    client.getInputStream().readNBytes(1); // the request has begun
                    OutputStream out = client.getOutputStream();
                    out.write("HTTP/1.1 500 Oops\r\nContent-Length: 1000\r\n\r\nfirst bytes"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(60_000); // and then nothing
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            var hooks = new WebhookRepository(server.parley().databases().main());
            long owner = server.parley().databases().main().fetchSingle("SELECT id FROM main.account LIMIT 1")
                    .get(0, Long.class);
            Webhook hook = hooks.create(server.site().id(), "http://127.0.0.1:" + stalling.getLocalPort() + "/hook",
                    Set.of(EventType.COMMENT_CREATED), owner);
            var courier = new DeliveryCourier(hooks, true, Clock.systemUTC(), "test");
            String payload = Json.object(Map.of("hook", Long.toString(hook.id()), "event", "e-1",
                    "type", "comment.created", "body", "{}"));

            assertThatThrownBy(() -> courier.deliver(payload))
                    .isInstanceOf(DeliveryFailure.class)
                    .hasMessage("no complete answer within " + DeliveryCourier.TIMEOUT.toSeconds() + " s")
                    .satisfies(e -> assertThat(((DeliveryFailure) e).permanent()).isFalse());
        }
    }
}
