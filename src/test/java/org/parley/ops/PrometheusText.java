package org.parley.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), as Prometheus itself would read a
 * scrape: HELP and TYPE lines, samples with escaped label values, float values (NaN, ±Inf), optional
 * timestamps. It refuses what Prometheus refuses — a malformed line, an unknown type, a TYPE after its samples,
 * a family split in two, a series twice — naming the line. The client library writes this format but ships
 * no reader; this one is for tests.
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A parsed scrape: samples by their name (e.g. {@code x_count}), and the declared type of each family. */
    record Scrape(Map<String, List<Sample>> samples, Map<String, String> types) {
        List<Sample> get(String name) {
            return samples.getOrDefault(name, List.of());
        }

        /** The single sample of {@code name} whose labels include all of {@code labels}; fails if none. */
        Sample one(String name, Map<String, String> labels) {
            List<Sample> found = get(name).stream()
                    .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                    .toList();
            if (found.isEmpty()) {
                throw new AssertionError("no sample " + name + labels + "; there are " + get(name));
            }
            return found.getFirst();
        }
    }

    static final class FormatError extends RuntimeException {
        FormatError(int line, String message, String text) {
            super("line " + line + ": " + message + ": " + text);
        }
    }

    private PrometheusText() {
    }

    static Scrape parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new FormatError(0, "the exposition must end with a line feed", "");
        }
        Map<String, List<Sample>> samples = new TreeMap<>();
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> series = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            int number = i + 1;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    if (!METRIC_NAME.matcher(name).matches()) {
                        throw new FormatError(number, "bad metric name in " + parts[1], line);
                    }
                    if (parts[1].equals("TYPE")) {
                        String type = parts.length == 4 ? parts[3] : "";
                        if (!TYPES.contains(type)) {
                            throw new FormatError(number, "unknown type '" + type + "'", line);
                        }
                        if (types.put(name, type) != null) {
                            throw new FormatError(number, "second TYPE for " + name, line);
                        }
                        if (samples.keySet().stream().anyMatch(s -> familyOf(s, Map.of(name, type)).equals(name))) {
                            throw new FormatError(number, "TYPE after samples of " + name, line);
                        }
                    } else if (!helped.add(name)) {
                        throw new FormatError(number, "second HELP for " + name, line);
                    } else if (parts.length == 4) {
                        checkHelpEscapes(number, parts[3], line);
                    }
                }
                continue; // any other comment
            }
            Sample sample = sample(number, line);
            String family = familyOf(sample.name(), types);
            if (!family.equals(currentFamily)) {
                if (closedFamilies.contains(family)) {
                    throw new FormatError(number, "samples of " + family + " are not together", line);
                }
                if (currentFamily != null) {
                    closedFamilies.add(currentFamily);
                }
                currentFamily = family;
            }
            if (!series.add(sample.name() + new TreeMap<>(sample.labels()))) {
                throw new FormatError(number, "the same series twice", line);
            }
            samples.computeIfAbsent(sample.name(), n -> new ArrayList<>()).add(sample);
        }
        return new Scrape(samples, types);
    }

    /** The family a sample belongs to: x_sum and x_count of a summary x, x_bucket of a histogram x, else itself. */
    private static String familyOf(String sampleName, Map<String, String> types) {
        for (String suffix : new String[]{"_sum", "_count", "_bucket"}) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if ("summary".equals(type) || "histogram".equals(type)) {
                    return base;
                }
            }
        }
        return sampleName;
    }

    private static Sample sample(int number, String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new FormatError(number, "bad metric name '" + name + "'", line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i >= line.length()) {
                    throw new FormatError(number, "unterminated labels", line);
                }
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new FormatError(number, "label without =", line);
                }
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches()) {
                    throw new FormatError(number, "bad label name '" + label + "'", line);
                }
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    throw new FormatError(number, "label value must be quoted", line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (true) {
                    if (j >= line.length()) {
                        throw new FormatError(number, "unterminated label value", line);
                    }
                    char c = line.charAt(j);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char next = j + 1 < line.length() ? line.charAt(j + 1) : ' ';
                        switch (next) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new FormatError(number, "bad escape \\" + next, line);
                        }
                        j += 2;
                        continue;
                    }
                    value.append(c);
                    j++;
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new FormatError(number, "label " + label + " twice", line);
                }
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new FormatError(number, "expected , or } after a label", line);
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new FormatError(number, "expected a space before the value", line);
        }
        String[] rest = line.substring(i).strip().split(" +");
        if (rest.length < 1 || rest.length > 2) {
            throw new FormatError(number, "expected a value and at most a timestamp", line);
        }
        double value = value(number, rest[0], line);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new FormatError(number, "bad timestamp", line);
            }
        }
        return new Sample(name, labels, value);
    }

    private static double value(int number, String text, String line) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw new FormatError(number, "bad value '" + text + "'", line);
                }
                yield Double.parseDouble(text);
            }
        };
    }

    private static void checkHelpEscapes(int number, String help, String line) {
        for (int j = 0; j < help.length(); j++) {
            if (help.charAt(j) == '\\') {
                char next = j + 1 < help.length() ? help.charAt(j + 1) : ' ';
                if (next != '\\' && next != 'n') {
                    throw new FormatError(number, "bad escape in HELP", line);
                }
                j++;
            }
        }
    }
}
