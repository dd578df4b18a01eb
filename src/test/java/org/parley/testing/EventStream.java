package org.parley.testing;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One Server-Sent Events connection, its lines read on a thread of their own (live updates' tests). */
public record EventStream(HttpResponse<InputStream> response, BlockingQueue<String> lines, java.util.List<String> seen,
              Thread reader) implements AutoCloseable {
    static final String END = "\u0000end";

    public static EventStream open(String url) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isEmpty()) {
                        seen.add(line);
                        lines.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // closed by the test or the server
            } finally {
                lines.add(END);
            }
        });
        return new EventStream(response, lines, seen, reader);
    }

    public String next() throws InterruptedException {
        return awaitLine("", Duration.ofSeconds(5));
    }

    /** The next line starting with {@code prefix}, skipping others; fails after {@code timeout}. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                throw new AssertionError("no line starting with '" + prefix + "' within " + timeout + "; saw " + seen);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (END.equals(line)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        response.body().close();
        reader.interrupt();
    }
}
