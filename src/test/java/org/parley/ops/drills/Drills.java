package org.parley.ops.drills;

import org.parley.testing.JarProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/**
 * The fault drills of issue 20 (docs/operations.md, "Fault drills"): each breaks one part of a running
 * {@link DrillFleet} while {@link VisitorLoad} visitors read and post, heals it, and reports what visitors saw
 * (answers by kind, p99), the comments acknowledged and whether each is stored exactly once, and how long writing
 * took to work normally again. Run by {@code ops/drills} with production-like durations, and by DrillsIT with
 * short ones in the test suite.
 */
public final class Drills {
    public static final String INSTANCE_KILLED = "instance killed";
    public static final String MEMCACHED_KILLED = "memcached killed";
    public static final String PRIMARY_RESTART = "shard primary fast restart";
    public static final String PRIMARY_DOWN = "shard primary down";
    public static final String REPLICA_STOPPED = "shard replica stopped";
    public static final String REPLICA_LAGGING = "shard replica lagging";
    public static final String BAD_CONFIG = "bad configuration";
    public static final String POOL_EXHAUSTED = "pool exhausted";
    public static final String SLOW_NETWORK = "slow network";
    public static final String SPOOL_DISK_FULL = "spool disk full";
    public static final String CLOCK_SKEW = "clock skew";
    public static final List<String> ALL = List.of(INSTANCE_KILLED, MEMCACHED_KILLED, PRIMARY_RESTART, PRIMARY_DOWN,
            SPOOL_DISK_FULL, REPLICA_STOPPED, REPLICA_LAGGING, BAD_CONFIG, POOL_EXHAUSTED, SLOW_NETWORK, CLOCK_SKEW);
    /** How far ahead the skewed instance's clock runs: more than any request or spool replay takes. */
    static final Duration SKEW = Duration.ofMinutes(5);
    /** The thread one visitor posts to in turn through each instance in the clock-skew drill. */
    static final String SKEW_KEY = "drill-skew";
    private static final int SKEW_POSTS = 6;

    /** How long each part lasts; which drills run. */
    public record Settings(Duration calm, Duration fault, Duration outage, int rate, Set<String> only) {
        public boolean wanted(String drill) {
            return only.isEmpty() || only.contains(drill);
        }
    }

    /** One drill's line of the table. */
    public record Row(String drill, String fault, long requests, long ok, long unavailable, long failed,
                      String failedStatuses, double p99ms, long posts, long acked, long spooled, long lost,
                      long duplicated, String recovery) {
    }

    private final DrillFleet fleet;
    private final Settings settings;
    private final Map<String, String> faults = new LinkedHashMap<>();
    private final Map<String, String> recoveries = new LinkedHashMap<>();
    private int generation = 1;

    public Drills(DrillFleet fleet, Settings settings) {
        this.fleet = fleet;
        this.settings = settings;
    }

    /** Runs the wanted drills one after another under one visitor load, then checks every acknowledged comment. */
    public List<Row> run() throws Exception {
        VisitorLoad load = VisitorLoad.start(fleet.base(), settings.rate());
        List<String> ran = new ArrayList<>();
        try {
            for (String drill : ALL) {
                if (!settings.wanted(drill)) {
                    continue;
                }
                if (drill.equals(SPOOL_DISK_FULL) && !SpoolDisk.possible()) {
                    System.out.println("[drills] skipped: " + drill + " (mounting a small filesystem needs root)");
                    continue;
                }
                load.drill(drill);
                pause(settings.calm());
                recoveries.put(drill, drill(drill, load));
                pause(settings.calm());
                ran.add(drill);
                System.out.println("[drills] done: " + drill);
            }
            load.drill("after");
            pause(settings.calm());
        } finally {
            load.close();
        }
        // spooled comments are posted once their primary is back: everything acknowledged must then be stored
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> fleet.spooled() == 0);
        Map<String, Integer> stored = fleet.storedBodies();
        List<Row> rows = new ArrayList<>();
        for (String drill : ran) {
            rows.add(row(drill, load.answers(drill), load.acks().stream().filter(a -> a.drill().equals(drill)).toList(),
                    stored));
        }
        return rows;
    }

    /** Breaks and heals one part; returns how long writing took to work normally again, in words. */
    private String drill(String drill, VisitorLoad load) throws Exception {
        switch (drill) {
            case INSTANCE_KILLED -> {
                faults.put(drill, "SIGKILL one of two instances, start it again after " + seconds(settings.fault()));
                fleet.killInstance(1);
                pause(settings.fault());
                long start = System.nanoTime();
                fleet.startInstance(1, generation++);
                return String.format(Locale.ROOT, "back in rotation %.1f s after its start", since(start));
            }
            case MEMCACHED_KILLED -> {
                faults.put(drill, "SIGKILL memcached, start it again (empty) after " + seconds(settings.fault()));
                fleet.memcached().kill();
                pause(settings.fault());
                fleet.memcached().startAgain();
                return writesWorkAgain(load, drill);
            }
            case PRIMARY_RESTART -> {
                faults.put(drill, "stop the shards' primary and start it at once");
                fleet.shardPrimary().stop();
                fleet.shardPrimary().start();
                return writesWorkAgain(load, drill);
            }
            case PRIMARY_DOWN -> {
                faults.put(drill, "stop the shards' primary for " + seconds(settings.outage()) + "; main stays up");
                fleet.shardPrimary().stop();
                pause(settings.outage());
                fleet.shardPrimary().start();
                long back = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> fleet.spooled() == 0);
                double visible = since(back);
                return String.format(Locale.ROOT, "all spooled comments posted %.1f s after the primary's return; %s",
                        visible, writesWorkAgain(load, drill));
            }
            case REPLICA_STOPPED -> {
                faults.put(drill, "stop the shards' streaming replica for " + seconds(settings.fault()));
                fleet.shardReplica().stop();
                pause(settings.fault());
                fleet.shardReplica().start();
                return writesWorkAgain(load, drill);
            }
            case REPLICA_LAGGING -> {
                faults.put(drill, "the shards' replica applies commits 15 s late for " + seconds(settings.fault())
                        + ": readers must still see every acknowledged comment");
                org.parley.testing.PgCluster.setApplyDelay(fleet.shardReplica(), Duration.ofSeconds(15));
                pause(settings.fault());
                org.parley.testing.PgCluster.setApplyDelay(fleet.shardReplica(), Duration.ZERO);
                return writesWorkAgain(load, drill);
            }
            case BAD_CONFIG -> {
                faults.put(drill, "start a third instance with PARLEY_SHARDS=3");
                JarProcess bad = fleet.startMisconfigured(Map.of("PARLEY_SHARDS", "3"), generation++);
                String said = bad.stderr() + bad.stdout();
                if (bad.exitCode() == 0 || !said.contains("PARLEY_SHARDS")) {
                    throw new AssertionError("a misconfigured instance must refuse to start, naming the setting;"
                            + " exit " + bad.exitCode() + ":\n" + said);
                }
                return "refused to start (exit " + bad.exitCode() + ", names PARLEY_SHARDS); fleet unaffected";
            }
            case POOL_EXHAUSTED -> {
                faults.put(drill, "lock the posted threads' rows from outside for " + seconds(settings.fault())
                        + ": posts wait for the rows; each thread's queue in the group commit holds one connection an instance");
                fleet.holdThreads(VisitorLoad.POST_KEYS, settings.fault());
                return writesWorkAgain(load, drill);
            }
            case SLOW_NETWORK -> {
                faults.put(drill, "delay everything between Parley and the shards' primary 100 ms each way for "
                        + seconds(settings.fault()));
                fleet.slowShardLink(Duration.ofMillis(100));
                pause(settings.fault());
                fleet.slowShardLink(Duration.ZERO);
                return writesWorkAgain(load, drill);
            }
            case SPOOL_DISK_FULL -> {
                faults.put(drill, "the spool's table alone on a 4 MiB filesystem, filled, then the shards' primary"
                        + " stopped; the filesystem freed after " + seconds(settings.fault()) + ", the primary back "
                        + seconds(settings.fault()) + " later");
                try (SpoolDisk disk = fleet.spoolOnSmallDisk()) {
                    // filled first: posts spooled between the stop and the fill made PostgreSQL extend the table by
                    // several pages at once, which then took every post of the fault (ci74: none refused)
                    disk.fill();
                    fleet.shardPrimary().stop();
                    pause(settings.fault());
                    disk.free();
                    pause(settings.fault());
                    fleet.shardPrimary().start();
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                            .until(() -> fleet.spooled() == 0);
                }
                return writesWorkAgain(load, drill);
            }
            case CLOCK_SKEW -> {
                faults.put(drill, "instance 2 restarted with its clock " + SKEW.toMinutes() + " min ahead"
                        + " (libfaketime); the shards' primary stopped for " + seconds(settings.fault())
                        + " while one visitor posts " + SKEW_POSTS + " comments to each instance in turn");
                return clockSkew(load, drill);
            }
            default -> throw new IllegalArgumentException(drill);
        }
    }

    /**
     * One instance's clock runs ahead while the spool takes comments from both: they must still be listed in the
     * order they were written, which holds only if the spool numbers them by one shared clock (main's).
     */
    private String clockSkew(VisitorLoad load, String drill) throws Exception {
        VisitorLoad.expect(200, org.parley.testing.Http.get(fleet.base()
                + org.parley.testing.TestServer.embedPath(SKEW_KEY)));
        step(load, "clock skew: stopping instance 2");
        fleet.stopInstance(1);
        step(load, "clock skew: starting instance 2 with its clock ahead");
        fleet.startInstance(1, generation++, Skew.ahead(SKEW));
        step(load, "clock skew: instance 2 in rotation; stopping the shards' primary");
        Duration offset = fleet.clockOffset(1);
        if (offset.compareTo(SKEW.minusSeconds(30)) < 0) {
            throw new AssertionError("instance 2's clock should run " + SKEW + " ahead but is off by " + offset
                    + ": libfaketime is not in effect");
        }
        fleet.shardPrimary().stop();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < SKEW_POSTS; i++) {
            String body = "Skewed-clock comment " + (i + 1) + " through instance " + (i % 2 + 1);
            var posted = VisitorLoad.post(fleet.direct(i % 2), SKEW_KEY, body);
            if (posted.statusCode() != 302 || !posted.headers().firstValue("Location").orElse("").contains("/saved?")) {
                throw new AssertionError("expected comment " + (i + 1) + " (through instance " + (i % 2 + 1)
                        + ") to be spooled, got " + posted.statusCode() + ": " + posted.body() + "\n" + fleet.logs());
            }
            written.add(body);
        }
        step(load, "clock skew: comments spooled");
        pause(settings.fault());
        fleet.shardPrimary().start();
        step(load, "clock skew: the shards' primary started");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> fleet.spooled() == 0);
        step(load, "clock skew: the spool replayed");
        List<String> listed = fleet.bodiesInIdOrder(SKEW_KEY);
        if (!listed.equals(written)) {
            throw new AssertionError("comments spooled by instances whose clocks disagree must be listed in the"
                    + " order they were written:\n written " + written + "\n listed  " + listed);
        }
        step(load, "clock skew: stopping instance 2");
        fleet.stopInstance(1);
        step(load, "clock skew: starting instance 2 with the right clock");
        fleet.startInstance(1, generation++);
        step(load, "clock skew: instance 2 in rotation");
        return String.format(Locale.ROOT, "clock %d s ahead; the %d comments spooled in turn by both instances are"
                + " listed in the order written; %s", offset.toSeconds(), SKEW_POSTS, writesWorkAgain(load, drill));
    }

    /** A line in the log at the load's clock, to set failed answers beside. */
    private static void step(VisitorLoad load, String what) {
        System.out.printf(Locale.ROOT, "[drills] +%.1f s: %s%n", load.seconds(), what);
    }

    /** Seconds until a probe comment is posted straight to its thread (not spooled): writing is normal again. */
    private String writesWorkAgain(VisitorLoad load, String drill) {
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var posted = VisitorLoad.post(fleet.base(), VisitorLoad.POST_KEYS.getFirst(), "Probe after " + drill
                    + " " + System.nanoTime());
            return posted.statusCode() == 302
                    && !posted.headers().firstValue("Location").orElse("").contains("/saved?");
        });
        return String.format(Locale.ROOT, "writes normal %.1f s after the repair", since(start));
    }

    private Row row(String drill, List<VisitorLoad.Answer> answers, List<VisitorLoad.Ack> acks,
                    Map<String, Integer> stored) {
        long ok = answers.stream().filter(VisitorLoad.Answer::ok).count();
        long unavailable = answers.stream().filter(VisitorLoad.Answer::unavailable).count();
        var others = answers.stream().filter(VisitorLoad.Answer::failed)
                .collect(java.util.stream.Collectors.groupingBy(a -> a.method() + " " + (a.status() < 0
                                ? "no answer: " + a.failure()
                        : a.status() == 503 ? "503 without Retry-After" : Integer.toString(a.status())),
                        java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        long failed = answers.size() - ok - unavailable;
        long[] nanos = answers.stream().mapToLong(VisitorLoad.Answer::nanos).sorted().toArray();
        double p99 = nanos.length == 0 ? 0 : nanos[Math.min(nanos.length - 1, (int) Math.ceil(nanos.length * 0.99) - 1)] / 1e6;
        long posts = answers.stream().filter(a -> a.method().equals("POST")).count();
        long lost = acks.stream().filter(a -> stored.getOrDefault(a.body(), 0) == 0).count();
        long duplicated = acks.stream().filter(a -> stored.getOrDefault(a.body(), 0) > 1).count();
        String failedStatuses = others.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
        if (!others.isEmpty()) {
            // when they were sent, to set beside the drill's steps in the log ("[drills] +s: …")
            var times = answers.stream().filter(VisitorLoad.Answer::failed).mapToDouble(VisitorLoad.Answer::at)
                    .summaryStatistics();
            failedStatuses += String.format(Locale.ROOT, ", sent from +%.1f to +%.1f s", times.getMin(), times.getMax());
        }
        return new Row(drill, faults.get(drill), answers.size(), ok, unavailable, failed, failedStatuses, p99, posts,
                acks.size(),
                acks.stream().filter(VisitorLoad.Ack::spooled).count(), lost, duplicated, recoveries.get(drill));
    }

    /** The rows as one Markdown table. */
    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| drill | fault | requests | 2xx/3xx | 503 + Retry-After | other | p99 ms | POSTs accepted |"
                + " of which spooled | acknowledged lost | stored twice | recovery |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %.0f | %s | %d | **%d** | %d | %s |%n",
                    r.drill(), r.fault(), r.requests(), r.ok(), r.unavailable(),
                    r.failed() == 0 ? "0" : r.failed() + " (" + r.failedStatuses() + ")", r.p99ms(),
                    r.acked() + " of " + r.posts(), r.spooled(), r.lost(), r.duplicated(), r.recovery()));
        }
        return out.toString();
    }

    private static double since(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
