package org.parley.metrics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one naming convention of Parley's Dropwizard registry, which {@link PrometheusBridge} turns into labelled
 * Prometheus families: {@code parley.<area>.<measure>{label=value,label=value}}. The part before the braces is
 * the family (dots become underscores); the braces hold a small, bounded set of labels — route names, schema,
 * role, cluster — never user input or raw paths. Units go in the measure's name ({@code lag_seconds},
 * {@code used_bytes}); timers get {@code _seconds} added. See docs/metrics.md.
 *
 * <pre>
 * MetricNames.tagged("parley.replica.lag_seconds", "cluster", "main", "replica", "db2:5432")
 *   → "parley.replica.lag_seconds{cluster=main,replica=db2:5432}"  → parley_replica_lag_seconds{cluster="main",…}
 * </pre>
 */
public final class MetricNames {
    private static final Pattern TAGGED = Pattern.compile("([^{}]+)\\{([^{}]*)}");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private MetricNames() {
    }

    /** A name with labels, given as name/value pairs in the order they should appear. */
    public static String tagged(String family, String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs: " + String.join(",", labelPairs));
        }
        StringBuilder name = new StringBuilder(family).append('{');
        for (int i = 0; i < labelPairs.length; i += 2) {
            String label = labelPairs[i];
            String value = labelPairs[i + 1];
            if (!LABEL_NAME.matcher(label).matches()) {
                throw new IllegalArgumentException("label names are lower-case identifiers, got '" + label + "'");
            }
            if (value.chars().anyMatch(c -> c == ',' || c == '=' || c == '{' || c == '}')) {
                throw new IllegalArgumentException("label " + label + " has a value with , = { or }: '" + value + "'");
            }
            name.append(i == 0 ? "" : ",").append(label).append('=').append(value);
        }
        return name.append('}').toString();
    }

    /** The family and labels of a registry name; names without braces have no labels. */
    public static Parsed parse(String name) {
        Matcher m = TAGGED.matcher(name);
        if (!m.matches()) {
            return new Parsed(name, new String[0]);
        }
        String inner = m.group(2);
        if (inner.isEmpty()) {
            return new Parsed(m.group(1), new String[0]);
        }
        String[] pairs = inner.split(",");
        String[] flat = new String[pairs.length * 2];
        for (int i = 0; i < pairs.length; i++) {
            int eq = pairs[i].indexOf('=');
            if (eq <= 0) {
                return new Parsed(name, new String[0]); // not our convention: exported under its sanitised name
            }
            flat[2 * i] = pairs[i].substring(0, eq);
            flat[2 * i + 1] = pairs[i].substring(eq + 1);
        }
        return new Parsed(m.group(1), flat);
    }

    public record Parsed(String family, String[] labelPairs) {
    }
}
