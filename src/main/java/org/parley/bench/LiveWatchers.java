package org.parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The readers of {@code bench/live}: opens N live-update streams to one thread on one instance (loopback only),
 * keeps them open, and counts what they receive. Prints "open N" once all are open, then every second
 * "events E heartbeats H closed C", until it is killed or {@code seconds} pass. Run with
 * {@code java -cp parley.jar org.parley.bench.LiveWatchers URL CONNECTIONS SECONDS}.
 */
public final class LiveWatchers {
    private LiveWatchers() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LiveWatchers STREAM-URL CONNECTIONS SECONDS");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        if (!url.getHost().equals("127.0.0.1") && !url.getHost().equals("localhost")) {
            System.err.println("LiveWatchers: loopback addresses only (a benchmark loads only what it started)");
            System.exit(2);
        }
        int connections = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        AtomicInteger open = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicLong events = new AtomicLong();
        AtomicLong heartbeats = new AtomicLong();
        // one client per 100 streams: each HTTP/1.1 stream is its own connection either way
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            if (i % 100 == 0) {
                clients.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
            }
            HttpClient client = clients.getLast();
            Thread.ofVirtual().start(() -> read(client, url, open, closed, events, heartbeats));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        boolean announced = false;
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            if (!announced && open.get() + closed.get() >= connections) {
                System.out.println("open " + open.get());
                announced = true;
            }
            System.out.println("events " + events.get() + " heartbeats " + heartbeats.get() + " closed " + closed.get());
        }
        System.exit(0);
    }

    private static void read(HttpClient client, URI url, AtomicInteger open, AtomicInteger closed, AtomicLong events,
                             AtomicLong heartbeats) {
        try {
            HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(url)
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            open.incrementAndGet();
            try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("event: version")) {
                        events.incrementAndGet();
                    } else if (line.equals(": ping")) {
                        heartbeats.incrementAndGet();
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // counted below
        }
        closed.incrementAndGet();
    }
}
