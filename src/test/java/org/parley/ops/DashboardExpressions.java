package org.parley.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL expressions of a Grafana dashboard JSON, and the metric names they read. */
final class DashboardExpressions {
    private static final Pattern EXPR = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right");

    private DashboardExpressions() {
    }

    static List<String> of(String dashboardJson) {
        List<String> expressions = new ArrayList<>();
        Matcher m = EXPR.matcher(dashboardJson);
        while (m.find()) {
            expressions.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return expressions;
    }

    /** Metric names in one expression: identifiers that are not functions, keywords, labels or durations. */
    static Set<String> metricNames(String expr) {
        String bare = expr
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")        // label values
                .replaceAll("\\{[^}]*}", " ")                          // label matchers
                .replaceAll("\\[[^]]*]", " ")                          // range durations
                .replaceAll("\\boffset\\s+-?[0-9a-z]+", " ")              // offset 5m
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            int after = m.end();
            while (after < bare.length() && bare.charAt(after) == ' ') {
                after++;
            }
            boolean call = after < bare.length() && bare.charAt(after) == '(';
            if (!call && !KEYWORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }
}
