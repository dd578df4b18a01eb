package org.parley.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.metrics.MetricNames;

/**
 * Plain dotted names that carry label values as segments — the form Parley's data layer registered before
 * {@link MetricNames} (and may still: {@code parley.sql.s0003.primary}, {@code parley.replica.main.db2_5432.lag-ms},
 * {@code parley.reads.main.replica.db2_5432}) — read into the same families as their tagged forms, so either
 * spelling exports as one labelled series. Values named {@code -ms} are turned into seconds.
 */
final class DottedNames {
    private static final String CLUSTER = "([a-z0-9_]+)";
    private static final String SEGMENT = "([^.{}]+)";

    /** A family, label names for the pattern's groups, fixed labels, and a factor for the value. */
    private record Rule(Pattern pattern, String family, List<String> labels, List<String> fixed, double scale) {
        Rule(String regex, String family, List<String> labels, List<String> fixed, double scale) {
            this(Pattern.compile(regex), family, labels, fixed, scale);
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule("parley\\.sql\\.(main|s\\d+)\\.(primary|replica)", "parley.sql.statements",
                    List.of("schema", "role"), List.of(), 1),
            new Rule("parley\\.replica\\." + CLUSTER + "\\." + SEGMENT + "\\.lag-ms", "parley.replica.lag_seconds",
                    List.of("cluster", "replica"), List.of(), 0.001),
            new Rule("parley\\.replica\\." + CLUSTER + "\\." + SEGMENT + "\\.replay-age-ms",
                    "parley.replica.replay_age_seconds", List.of("cluster", "replica"), List.of(), 0.001),
            new Rule("parley\\.replica\\." + CLUSTER + "\\." + SEGMENT + "\\.lag-bytes", "parley.replica.lag_bytes",
                    List.of("cluster", "replica"), List.of(), 1),
            new Rule("parley\\.replica\\." + CLUSTER + "\\." + SEGMENT + "\\.usable", "parley.replica.usable",
                    List.of("cluster", "replica"), List.of(), 1),
            new Rule("parley\\.reads\\." + CLUSTER + "\\.replica\\." + SEGMENT, "parley.reads",
                    List.of("cluster", "replica"), List.of("role", "replica"), 1),
            new Rule("parley\\.reads\\." + CLUSTER + "\\.primary\\." + SEGMENT, "parley.reads",
                    List.of("cluster", "reason"), List.of("role", "primary"), 1));

    /** What a dotted name means: its family, label pairs, and the factor for its value. */
    record Mapped(String family, String[] labelPairs, double scale) {
    }

    private final UnaryOperator<String> clusterOfSchema;

    /** @param clusterOfSchema the cluster holding a schema ("main", "s0003"), to label SQL by cluster too */
    DottedNames(UnaryOperator<String> clusterOfSchema) {
        this.clusterOfSchema = clusterOfSchema;
    }

    Optional<Mapped> map(String name) {
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(name);
            if (m.matches()) {
                List<String> pairs = new ArrayList<>(rule.fixed());
                for (int i = 0; i < rule.labels().size(); i++) {
                    pairs.add(rule.labels().get(i));
                    pairs.add(m.group(i + 1));
                }
                if (rule.labels().contains("schema")) {
                    pairs.add("cluster");
                    pairs.add(clusterOfSchema.apply(m.group(1)));
                }
                return Optional.of(new Mapped(rule.family(), pairs.toArray(String[]::new), rule.scale()));
            }
        }
        return Optional.empty();
    }
}
