package org.parley.bench;

import java.util.List;

/**
 * What to generate.
 *
 * @param site          the first site's name; further sites are {@code site-2} … {@code site-N}
 * @param sites         how many sites (the random threads are spread over them)
 * @param origin        the origin every generated site allows to embed it
 * @param threads       comment counts of threads on the first site, with keys {@code n{count}} (a repeated count
 *                      gets {@code n{count}-2}, …): the threads a benchmark addresses by name
 * @param randomThreads further threads, keys {@code r{number}-n{count}}, with counts spread log-uniformly over
 *                      [randomMin, randomMax] (most threads small, a few large, as on a real site)
 * @param seed          the same seed makes the same texts, shapes and counts
 * @param jobs          threads written at once (each is one transaction on its shard)
 * @param total         0, or the comments wanted in all: random threads (sizes as above) are then added until the
 *                      named and random threads hold exactly this many, instead of a fixed {@code randomThreads}
 */
public record DatasetSpec(String site, int sites, String origin, List<Integer> threads, int randomThreads,
                          int randomMin, int randomMax, long seed, int jobs, long total) {
    /** Without a total: the named threads and {@code randomThreads} random ones. */
    public DatasetSpec(String site, int sites, String origin, List<Integer> threads, int randomThreads,
                       int randomMin, int randomMax, long seed, int jobs) {
        this(site, sites, origin, threads, randomThreads, randomMin, randomMax, seed, jobs, 0);
    }

    public static final int MAX_COMMENTS_PER_THREAD = 10_000_000;

    public DatasetSpec {
        threads = List.copyOf(threads);
        if (!site.matches("[a-z0-9][a-z0-9-]{0,40}")) {
            throw new IllegalArgumentException("--site must be lowercase letters, digits and '-' (at most 41), got '"
                    + site + "'");
        }
        if (!origin.matches("https?://[^/]+")) {
            throw new IllegalArgumentException("--origin must look like https://blog.example.org, got '" + origin + "'");
        }
        if (sites < 1 || sites > 1000) {
            throw new IllegalArgumentException("--sites must be between 1 and 1000, got " + sites);
        }
        for (int count : threads) {
            checkCount("--threads", count);
        }
        if (randomThreads < 0) {
            throw new IllegalArgumentException("--random-threads cannot be negative, got " + randomThreads);
        }
        if (total < 0) {
            throw new IllegalArgumentException("--total cannot be negative, got " + total);
        }
        long named = threads.stream().mapToLong(Integer::longValue).sum();
        if (total > 0 && randomThreads > 0) {
            throw new IllegalArgumentException("give --total or --random-threads, not both: --total adds random "
                    + "threads until it is reached");
        }
        if (total > 0 && total < named) {
            throw new IllegalArgumentException("--total (" + total + ") is below the comments of the --threads ("
                    + named + ")");
        }
        if (randomThreads > 0 || total > named) {
            checkCount("--random-min", randomMin);
            checkCount("--random-max", randomMax);
            if (randomMin > randomMax) {
                throw new IllegalArgumentException("--random-min (" + randomMin + ") is above --random-max ("
                        + randomMax + ")");
            }
        }
        if (jobs < 1 || jobs > 64) {
            throw new IllegalArgumentException("--jobs must be between 1 and 64, got " + jobs);
        }
    }

    private static void checkCount(String option, int count) {
        if (count < 1 || count > MAX_COMMENTS_PER_THREAD) {
            throw new IllegalArgumentException(option + ": a thread has 1 to " + MAX_COMMENTS_PER_THREAD
                    + " comments, got " + count);
        }
    }
}
