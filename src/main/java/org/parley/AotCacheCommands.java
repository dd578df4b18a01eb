package org.parley;

import org.parley.config.StartupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * {@code parley aot-cache}: a JDK AOT cache (JDK 25, JEPs 483, 514 and 515) made by a training run of this jar,
 * so that a fresh instance starts with Parley's classes loaded and linked and with the training's method profiles,
 * and its JIT compiles the hot paths sooner (bench/README, "A fresh instance").
 *
 * <p>The training is a second JVM started with {@code -XX:AOTCacheOutput}: Parley on a throwaway embedded
 * PostgreSQL in a temporary directory, on loopback, driven by its own requests (the embed, the thread page in each
 * sort, revalidations, guests' posts) for the given time; the JVM writes the cache as it exits. The operator's
 * {@code PARLEY_*} settings are not passed on: training never touches a real database.
 */
final class AotCacheCommands {
    private AotCacheCommands() {
    }

    @Command(name = "aot-cache", mixinStandardHelpOptions = true,
            description = {"Write a JDK AOT cache for this jar and this java: a fresh instance started with it is "
                    + "ready sooner and reaches full speed sooner.",
                    "Then start Parley with: java -XX:AOTCache=FILE -jar parley.jar (the same java and jar; "
                            + "another jar or JDK makes the JVM ignore the cache with a warning).",
                    "Needs JDK 25 or later. Trains on a throwaway embedded PostgreSQL; takes the training time plus "
                            + "about half a minute."})
    static final class AotCache implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "FILE", defaultValue = "parley.aot",
                description = "Where to write the cache (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--seconds", paramLabel = "N", defaultValue = "30",
                description = "How long the training sends requests (default: ${DEFAULT-VALUE}; 5 to 600).")
        int seconds;

        @Override
        public Integer call() throws Exception {
            if (seconds < 5 || seconds > 600) {
                System.err.println("parley: --seconds must be between 5 and 600, got " + seconds + ".");
                return Main.EXIT_USAGE;
            }
            int feature = Runtime.version().feature();
            if (feature < 25) {
                System.err.println("parley: aot-cache needs JDK 25 or later; this java is " + feature + ".");
                return Main.EXIT_USAGE;
            }
            Path jar = thisJar();
            Path target = out.toAbsolutePath();
            if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
                System.err.println("parley: --out: no directory " + target.getParent() + ".");
                return Main.EXIT_USAGE;
            }
            Path work = Files.createTempDirectory("parley-aot-");
            try {
                return train(jar, target, work);
            } finally {
                deleteTree(work);
            }
        }

        private int train(Path jar, Path target, Path work) throws IOException, InterruptedException {
            Path written = work.resolve("parley.aot"); // moved into place only once complete
            int port = freePort();
            List<String> command = List.of(javaCommand(), "-Xmx256m", "-XX:AOTCacheOutput=" + written,
                    "-jar", jar.toString(), "aot-training", "--seconds", Integer.toString(seconds));
            var builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
            builder.environment().keySet().removeIf(key -> key.startsWith("PARLEY_"));
            builder.environment().putAll(Map.of(
                    "PARLEY_DATA_DIR", work.resolve("data").toString(),
                    "PARLEY_PORT", Integer.toString(port),
                    "PARLEY_HOST", "127.0.0.1",
                    "PARLEY_PUBLIC_URL", "http://localhost:" + port,
                    "PARLEY_EMBEDDED_DURABILITY", "fast",
                    "PARLEY_RATE_LIMITS", "false",
                    "PARLEY_LOG_FORMAT", "text"));
            System.out.printf("aot-cache: training %s for %d s on a throwaway embedded PostgreSQL in %s%n",
                    jar.getFileName(), seconds, work);
            Process training = builder.start();
            List<String> log = new ArrayList<>();
            try (var lines = new BufferedReader(new InputStreamReader(training.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith(AotTraining.PROGRESS)) {
                        System.out.print("\r" + line.substring(AotTraining.PROGRESS.length()));
                        System.out.flush();
                    } else {
                        log.add(line);
                    }
                }
            }
            int status = training.waitFor();
            System.out.println();
            if (status != 0 || !Files.isRegularFile(written)) {
                System.err.println("parley: the training run failed (exit status " + status + "); its output:");
                log.stream().skip(Math.max(0, log.size() - 40)).forEach(System.err::println);
                return Main.EXIT_FAILED;
            }
            Files.move(written, target, StandardCopyOption.REPLACE_EXISTING);
            System.out.printf(Locale.ROOT, "aot-cache: wrote %s (%.1f MB). Start Parley with:%n  %s -XX:AOTCache=%s "
                            + "-jar %s%n", target, Files.size(target) / 1e6, javaCommand(), target, jar);
            return 0;
        }

        private static Path thisJar() throws URISyntaxException {
            Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!location.toString().endsWith(".jar")) {
                throw new StartupException("aot-cache works on the built jar (java -jar parley.jar aot-cache), "
                        + "not on classes in " + location + ".");
            }
            return location;
        }

        private static String javaCommand() {
            return ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }

        private static int freePort() throws IOException {
            try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        private static void deleteTree(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                System.err.println("parley: could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    /**
     * The training run itself (hidden: {@code aot-cache} starts it in a JVM that records): Parley on the settings
     * its parent gave, and visitors' requests against it until the time is up; then it stops and exits normally,
     * which is when the JVM writes the cache.
     */
    @Command(name = "aot-training", hidden = true)
    static final class AotTraining implements Callable<Integer> {
        static final String PROGRESS = "aot-training: ";

        @CommandLine.ParentCommand
        Main parent;

        @Option(names = "--seconds", defaultValue = "30")
        int seconds;

        private static final int VISITORS = 4;

        private static long total(Map<Integer, LongAdder> statuses) {
            return statuses.values().stream().mapToLong(LongAdder::sum).sum();
        }

        @Override
        public Integer call() throws Exception {
            Config config = parent.loadConfig();
            if (!config.embedded()) {
                throw new StartupException("aot-training runs on the embedded PostgreSQL only.");
            }
            var statuses = new ConcurrentSkipListMap<Integer, LongAdder>();
            try (ParleyServer server = ParleyServer.start(config);
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                         .followRedirects(HttpClient.Redirect.NEVER).build();
                 var visitors = Executors.newVirtualThreadPerTaskExecutor()) {
                String base = "http://127.0.0.1:" + server.port();
                long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                // a few visitors at once, as a server sees them: the profiles then include the paths under contention
                List<Future<?>> running = new ArrayList<>();
                for (int v = 0; v < VISITORS; v++) {
                    var visitor = new Visitor(http, base, config.publicUrl().toString(), v, statuses);
                    running.add(visitors.submit(() -> {
                        for (int round = 0; System.nanoTime() < end; round++) {
                            visitor.round(round);
                        }
                        return null;
                    }));
                }
                while (running.stream().anyMatch(f -> !f.isDone())) {
                    Thread.sleep(1_000);
                    long left = Math.max(0, (end - System.nanoTime()) / 1_000_000_000L);
                    System.out.println(PROGRESS + total(statuses) + " requests, " + left + " s left   ");
                }
                for (var visitor : running) {
                    visitor.get(); // a visitor's failure fails the training
                }
            }
            System.out.println("aot-training: answers by status " + statuses);
            boolean failed = statuses.keySet().stream().anyMatch(status -> status >= 500);
            if (failed) {
                System.err.println("parley: the training run's requests failed with " + statuses);
            }
            return failed ? Main.EXIT_FAILED : 0;
        }
    }

    /** What visitors do, in the proportions a thread sees: mostly reading, some posting. */
    private static final class Visitor {
        private static final String[] SORTS = {"oldest", "newest", "best"};
        private final HttpClient http;
        private final String base;
        private final String origin;
        private final int number;
        private final Map<Integer, LongAdder> statuses;

        Visitor(HttpClient http, String base, String origin, int number,
                Map<Integer, LongAdder> statuses) {
            this.http = http;
            this.base = base;
            this.origin = origin.replaceAll("/+$", "");
            this.number = number;
            this.statuses = statuses;
        }

        void round(int round) throws IOException, InterruptedException {
            String key = "training-" + ((round + number) % 8);
            String page = "/t/default/" + key;
            get("/embed/default?key=" + key + "&url=" + URLEncoder.encode(origin + "/" + key, StandardCharsets.UTF_8)
                    + "&sort=" + SORTS[round % 3], null);
            for (String sort : SORTS) {
                var tag = get(page + "?sort=" + sort, null).headers().firstValue("ETag");
                if (tag.isPresent()) {
                    get(page + "?sort=" + sort, tag.get()); // a revisit: the 304 path
                }
            }
            if (round % 2 == 0) {
                String who = number + "-" + round;
                String form = "name=" + enc("Trainer " + who) + "&email=" + enc("trainer" + who + "@example.org")
                        + "&body=" + enc("Comment **" + who + "** of the training run: 5 < 7 & \"quotes\", café.");
                send(HttpRequest.newBuilder(URI.create(base + page))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Origin", origin)
                        .header("X-Forwarded-For", "10." + number + "." + (round / 250 % 250) + "." + (round % 250 + 1))
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
            }
        }

        private HttpResponse<Void> get(String path, String ifNoneMatch) throws IOException, InterruptedException {
            var request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept-Encoding", "gzip, br");
            if (ifNoneMatch != null) {
                request.header("If-None-Match", ifNoneMatch);
            }
            return send(request.GET().build());
        }

        private HttpResponse<Void> send(HttpRequest request) throws IOException, InterruptedException {
            var response = http.send(request, HttpResponse.BodyHandlers.discarding());
            statuses.computeIfAbsent(response.statusCode(), status -> new LongAdder())
                    .increment();
            return response;
        }

        private static String enc(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8);
        }
    }
}
