package org.parley.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver as a site owner would run one, in its own JVM ({@link WebhookReceiver} starts it): listens on
 * 127.0.0.1:PORT, answers the first FAILURES requests with 500 and every later one with 200, and prints one line
 * per request to stdout — the status it answered, the Parley-Event, Parley-Delivery and Parley-Signature headers
 * and the body in base64, tab-separated — so the test reads exactly what arrived.
 */
public final class WebhookReceiverMain {
    private WebhookReceiverMain() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int failures = Integer.parseInt(args[1]);
        AtomicInteger seen = new AtomicInteger();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int status = seen.incrementAndGet() <= failures ? 500 : 200;
            synchronized (out) {
                out.println(status + "\t" + exchange.getRequestMethod() + "\t" + header(exchange, "Parley-Event") + "\t"
                        + header(exchange, "Parley-Delivery") + "\t" + header(exchange, "Parley-Signature") + "\t"
                        + Base64.getEncoder().encodeToString(body));
            }
            byte[] answer = (status == 200 ? "thanks" : "receiver failing on purpose").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        out.println("listening");
    }

    private static String header(com.sun.net.httpserver.HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value;
    }
}
