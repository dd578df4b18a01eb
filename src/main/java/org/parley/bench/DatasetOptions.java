package org.parley.bench;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The options of {@code parley bench-data}, turned into a {@link DatasetSpec}. */
public final class DatasetOptions {
    @Option(names = "--site", defaultValue = "bench", description = "First site's name (default: ${DEFAULT-VALUE}).")
    String site;

    @Option(names = "--sites", defaultValue = "1",
            description = "Sites to create: SITE, SITE-2, … (default: ${DEFAULT-VALUE}).")
    int sites;

    @Option(names = "--origin", defaultValue = "http://localhost:8080",
            description = "Origin the sites allow to embed them (default: ${DEFAULT-VALUE}).")
    String origin;

    @Option(names = "--threads", split = ",", paramLabel = "COUNT",
            description = "Comment counts of named threads on the first site, keys nCOUNT, e.g. 10,200,50000.")
    List<Integer> threads = new ArrayList<>();

    @Option(names = "--random-threads", defaultValue = "0",
            description = "Further threads spread over all sites, keys rNNNNN-nCOUNT (default: ${DEFAULT-VALUE}).")
    int randomThreads;

    @Option(names = "--random-min", defaultValue = "10", description = "Fewest comments of a random thread (default: ${DEFAULT-VALUE}).")
    int randomMin;

    @Option(names = "--random-max", defaultValue = "2000",
            description = "Most comments of a random thread; counts are log-uniform in between (default: ${DEFAULT-VALUE}).")
    int randomMax;

    @Option(names = "--seed", defaultValue = "1", description = "Same seed, same data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--jobs", defaultValue = "2", description = "Threads written at once (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--total", defaultValue = "0", paramLabel = "COMMENTS",
            description = "Comments wanted in all: random threads are added until the named and random ones hold "
                    + "exactly this many (instead of --random-threads).")
    long total;

    public DatasetSpec spec() {
        return new DatasetSpec(site, sites, origin, threads, randomThreads, randomMin, randomMax, seed, jobs, total);
    }
}
