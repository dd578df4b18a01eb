package org.parley.ops.drills;

import org.parley.testing.Http;
import org.parley.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The load target of issue 18 as a reproducible run (bench/load): thread-page GETs and comment POSTs at constant
 * rates through HAProxy to a {@link DrillFleet}, each request sent at its scheduled moment on a virtual thread of
 * its own, so a slow answer never delays the next request (open loop). Latency is counted from the moment the
 * request was <em>due</em>, not from when it went out: a generator that falls behind shows up as latency instead of
 * hiding it. Every comment acknowledged is looked up afterwards (stored exactly once, or lost).
 */
public final class OpenLoop {
    /**
     * How hard and how long. The first {@code warmup} runs at the same rates but is not measured: two freshly
     * started JVMs interpret and compile their hot paths for the first seconds, which is a deploy's cost, not the
     * steady state the goals are about. Comments posted during the warm-up are checked like the others.
     */
    public record Settings(int getsPerSecond, int postsPerSecond, Duration duration, Duration warmup) {
    }

    /** One answer: kind, status (-1: no HTTP answer), milliseconds from its due moment, and when it was due. */
    record Answer(String kind, int status, double millis, double dueSecond) {
    }

    /** The figures of one kind of request. */
    public record Line(String kind, int scheduled, double achievedPerSecond, long ok, long errors, double p50, double p99,
                      double max, List<Double> windowP99s) {
        double worstWindowP99() {
            return windowP99s.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    /** What the run measured. */
    public record Result(List<Line> lines, long acknowledged, long stored, long lost, long duplicated) {
    }

    static final Duration WINDOW = Duration.ofSeconds(10);

    private final DrillFleet fleet;
    private final Settings settings;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();

    public OpenLoop(DrillFleet fleet, Settings settings) {
        this.fleet = fleet;
        this.settings = settings;
    }

    /**
     * Warms, then runs the schedule, with {@code alongside} started as the measured run starts (a rolling restart,
     * say, or nothing); the run waits for it, and its failure fails the run.
     */
    public Result run(Callable<?> alongside) throws Exception {
        VisitorLoad.warm(fleet.base()); // the same threads the drills read and post to
        if (!settings.warmup().isZero()) {
            try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
                schedule(requests, System.nanoTime(), settings.warmup().toSeconds());
            }
            answers.clear(); // its comments stay in `acknowledged`: they must be stored too
        }
        long start = System.nanoTime();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService beside = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> running = beside.submit(alongside);
            schedule(requests, start, settings.duration().toSeconds());
            running.get();
        }
        Map<String, Integer> stored = fleet.storedBodies();
        long lost = acknowledged.stream().filter(body -> stored.getOrDefault(body, 0) == 0).count();
        long twice = acknowledged.stream().filter(body -> stored.getOrDefault(body, 0) > 1).count();
        List<Line> lines = List.of(line("GET", settings.getsPerSecond()), line("POST", settings.postsPerSecond()));
        return new Result(lines, acknowledged.size(), acknowledged.size() - lost, lost, twice);
    }

    /** Sends every request at its due moment: GETs and POSTs each on their own even schedule (k / rate seconds). */
    private void schedule(ExecutorService requests, long start, long seconds) throws InterruptedException {
        long gets = settings.getsPerSecond() * seconds;
        long posts = settings.postsPerSecond() * seconds;
        long sentGets = 0;
        long sentPosts = 0;
        int n = 0;
        while (sentGets < gets || sentPosts < posts) {
            long getDue = sentGets < gets ? start + sentGets * 1_000_000_000L / settings.getsPerSecond() : Long.MAX_VALUE;
            long postDue = sentPosts < posts ? start + sentPosts * 1_000_000_000L / settings.postsPerSecond()
                    : Long.MAX_VALUE;
            long due = Math.min(getDue, postDue);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
            int number = ++n;
            if (postDue <= getDue) {
                requests.submit(() -> post(postDue, start, number));
                sentPosts++;
            } else {
                requests.submit(() -> get(getDue, start, number));
                sentGets++;
            }
        }
    }

    private void get(long due, long start, int n) {
        String key = VisitorLoad.READ_KEYS.get(n % VisitorLoad.READ_KEYS.size());
        String path = n % 2 == 0 ? TestServer.standalonePath(key) : TestServer.embedPath(key);
        int status;
        try {
            HttpResponse<String> page = Http.get(fleet.base() + path);
            // a 200 that lacks the thread's first comment is no page at all
            status = page.statusCode() == 200 && !page.body().contains("Opening comment of " + key) ? -1
                    : page.statusCode();
        } catch (RuntimeException e) {
            status = -1;
        }
        answers.add(new Answer("GET", status, (System.nanoTime() - due) / 1e6, (due - start) / 1e9));
    }

    private void post(long due, long start, int n) {
        String key = VisitorLoad.POST_KEYS.get(ThreadLocalRandom.current().nextInt(VisitorLoad.POST_KEYS.size()));
        String body = "Load comment " + n + " at " + due;
        int status;
        try {
            HttpResponse<String> posted = VisitorLoad.post(fleet.base(), key, body);
            status = posted.statusCode();
            if (status == 302) {
                acknowledged.add(body);
            }
        } catch (RuntimeException e) {
            status = -1;
        }
        answers.add(new Answer("POST", status, (System.nanoTime() - due) / 1e6, (due - start) / 1e9));
    }

    private Line line(String kind, int perSecond) {
        List<Answer> mine = answers.stream().filter(a -> a.kind().equals(kind)).toList();
        long ok = mine.stream().filter(a -> a.status() >= 200 && a.status() < 400).count();
        double[] millis = mine.stream().mapToDouble(Answer::millis).sorted().toArray();
        List<Double> windows = new java.util.ArrayList<>();
        for (long window = 0; window * WINDOW.toSeconds() < settings.duration().toSeconds(); window++) {
            long from = window * WINDOW.toSeconds();
            double[] in = mine.stream().filter(a -> a.dueSecond() >= from && a.dueSecond() < from + WINDOW.toSeconds())
                    .mapToDouble(Answer::millis).sorted().toArray();
            windows.add(percentile(in, 0.99));
        }
        return new Line(kind, perSecond * (int) settings.duration().toSeconds(),
                mine.size() / (double) settings.duration().toSeconds(), ok, mine.size() - ok, percentile(millis, 0.5),
                percentile(millis, 0.99), millis.length == 0 ? 0 : millis[millis.length - 1], windows);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)];
    }

    /** The result as Markdown: one line per kind, then the comments. */
    public static String table(Settings settings, Result result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d GET/s + %d POST/s for %d s (after %d s of warm-up at the same rates)"
                        + " through HAProxy to two instances; latency from each request's due moment%n%n",
                settings.getsPerSecond(), settings.postsPerSecond(), settings.duration().toSeconds(),
                settings.warmup().toSeconds()));
        out.append("| kind | scheduled | achieved /s | 2xx/3xx | errors | p50 ms | p99 ms | max ms | worst 10 s p99 ms |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Line l : result.lines()) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d | %d | %.1f | %.1f | %.1f | %.1f |%n",
                    l.kind(), l.scheduled(), l.achievedPerSecond(), l.ok(), l.errors(), l.p50(), l.p99(), l.max(),
                    l.worstWindowP99()));
        }
        out.append(String.format(Locale.ROOT, "%np99 ms of each %d s window, in order:%n", WINDOW.toSeconds()));
        for (Line l : result.lines()) {
            out.append("- ").append(l.kind()).append(": ").append(String.join(" · ", l.windowP99s().stream()
                    .map(p -> String.format(Locale.ROOT, "%.0f", p)).toList())).append('\n');
        }
        out.append(String.format(Locale.ROOT, "%ncomments acknowledged %d (warm-up included), stored %d, lost **%d**,"
                        + " stored twice %d%n", result.acknowledged(), result.stored(), result.lost(), result.duplicated()));
        return out.toString();
    }
}
