package org.parley.ops.drills;

import org.parley.testing.Http;
import org.parley.testing.TestServer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Visitors at a fixed rate through HAProxy, as long as it runs: reads of warmed thread pages (standalone and
 * embed) and, one request in {@link #POST_EVERY}, a guest's comment from the page's form. Each request is its own
 * virtual thread, so a slow answer does not slow the rest; each answer is kept with the drill it was sent in and
 * how long it took. A comment answered with a redirect — to the thread, or to its "saved" page when spooled — is
 * acknowledged: the drills check each is stored exactly once.
 */
final class VisitorLoad implements AutoCloseable {
    static final int POST_EVERY = 4;
    static final List<String> READ_KEYS = List.of("drill-read-a", "drill-read-b", "drill-read-c");
    static final List<String> POST_KEYS = List.of("drill-post-a", "drill-post-b");

    /** One answer: in which drill it was sent, the method, the status (-1 when no HTTP answer came), its time. */
    /** {@code at}: when it was sent, in seconds since the load began ({@link #seconds}). */
    record Answer(String drill, String method, int status, long nanos, boolean retryAfter, String failure, double at) {
        boolean ok() {
            return status >= 200 && status < 400;
        }

        /** Turned away as the fleet promises when it cannot serve: 503 with a time to come back. */
        boolean unavailable() {
            return status == 503 && retryAfter;
        }

        /** Neither: what a visitor must never get. */
        boolean failed() {
            return !ok() && !unavailable();
        }
    }

    /** A comment the visitor was told is posted or saved. */
    record Ack(String drill, String body, boolean spooled) {
    }

    private final String base;
    private final int rate;
    private final AtomicReference<String> drill = new AtomicReference<>("warm-up");
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread sender;
    private final long began = System.nanoTime();
    /** How long a visitor waits for an answer: HAProxy's own wait for an instance (haproxy.cfg, timeout server). */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private VisitorLoad(String base, int rate) {
        this.base = base;
        this.rate = rate;
        this.sender = Thread.ofPlatform().name("drill-visitors").start(this::send);
    }

    /** Makes the threads, warms their pages, then starts sending {@code rate} requests a second. */
    static VisitorLoad start(String base, int rate) {
        warm(base);
        return new VisitorLoad(base, rate);
    }

    /** Makes the threads visitors post to and read, each read one with its opening comment, and warms the pages. */
    static void warm(String base) {
        for (String key : POST_KEYS) {
            expect(200, Http.get(base + TestServer.embedPath(key)));
        }
        for (String key : READ_KEYS) {
            expect(200, Http.get(base + TestServer.embedPath(key)));
            expect(302, post(base, key, "Opening comment of " + key));
            for (int round = 0; round < 3; round++) {
                expect(200, Http.get(base + TestServer.standalonePath(key)));
                expect(200, Http.get(base + TestServer.embedPath(key)));
            }
        }
    }

    /** From now on, answers count for {@code name}. */
    void drill(String name) {
        drill.set(name);
    }

    List<Answer> answers(String name) {
        return answers.stream().filter(a -> a.drill().equals(name)).toList();
    }

    List<Ack> acks() {
        return new ArrayList<>(acks);
    }

    private void send() {
        long interval = Duration.ofSeconds(1).toNanos() / rate;
        long next = System.nanoTime();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            while (running.get()) {
                int n = sent.incrementAndGet();
                String now = drill.get();
                if (n % POST_EVERY == 0) {
                    String key = POST_KEYS.get(ThreadLocalRandom.current().nextInt(POST_KEYS.size()));
                    requests.submit(() -> posting(now, key, "Drill comment " + n + " during " + now));
                } else {
                    String key = READ_KEYS.get(ThreadLocalRandom.current().nextInt(READ_KEYS.size()));
                    requests.submit(() -> reading(now, key, n));
                }
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(wait));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    private void reading(String now, String key, int n) {
        String path = n % 2 == 0 ? TestServer.standalonePath(key) : TestServer.embedPath(key);
        long start = System.nanoTime();
        try {
            // as long as a post may take, and HAProxy waits for an instance (timeout server 30 s): an answer slower than
            // Http.get's 10 s is slow (the p99 column), not missing
            HttpResponse<String> page = Http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(ANSWER_TIMEOUT).GET().build());
            // a 200 that lacks the page's comment is no page at all
            boolean noPage = page.statusCode() == 200 && !page.body().contains("Opening comment of " + key);
            answers.add(new Answer(now, "GET", noPage ? -1 : page.statusCode(), System.nanoTime() - start,
                    page.headers().firstValue("Retry-After").isPresent(),
                    noPage ? "200 without the thread's comments" : null, secondsAt(start)));
        } catch (RuntimeException e) {
            answers.add(new Answer(now, "GET", -1, System.nanoTime() - start, false, rootCause(e), secondsAt(start)));
        }
    }

    private void posting(String now, String key, String body) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> posted = post(base, key, body);
            if (posted.statusCode() == 302) {
                String location = posted.headers().firstValue("Location").orElse("");
                acks.add(new Ack(now, body, location.contains("/saved?")));
            }
            answers.add(new Answer(now, "POST", posted.statusCode(), System.nanoTime() - start,
                    posted.headers().firstValue("Retry-After").isPresent(), null, secondsAt(start)));
        } catch (RuntimeException e) {
            answers.add(new Answer(now, "POST", -1, System.nanoTime() - start, false, rootCause(e), secondsAt(start)));
        }
    }

    /** Seconds since the load began: the drills' log lines and the failed answers say when by it. */
    double seconds() {
        return secondsAt(System.nanoTime());
    }

    private double secondsAt(long nanoTime) {
        return (nanoTime - began) / 1e9;
    }

    /** What became of a request that got no answer, for the drill's table: the innermost exception's class. */
    private static String rootCause(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getClass().getSimpleName();
    }

    /** A guest's post from the page's own form (no JavaScript): Origin is Parley's, as a browser sends it. */
    static HttpResponse<String> post(String base, String key, String body) {
        String form = "name=Drill+Visitor&body=" + URLEncoder.encode(body, StandardCharsets.UTF_8);
        return Http.send(HttpRequest.newBuilder(URI.create(base + TestServer.standalonePath(key)))
                .timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    }

    static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + ", got " + response.statusCode() + ": " + response.body());
        }
    }

    /** Stops sending and waits for the answers still in flight. */
    @Override
    public void close() {
        running.set(false);
        try {
            sender.join(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
