package org.parley;

import java.io.PrintStream;

/**
 * Progress of a long command: on a terminal one line redrawn in place, otherwise (logs, CI) a plain line every
 * ten seconds and the last one, so a log shows the run is alive without a line per step.
 */
final class ProgressLine {
    private static final long LINE_EVERY_NANOS = 10_000_000_000L;
    private final PrintStream out;
    private final boolean terminal;
    private long lastLine;

    ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void show(String line, boolean last) {
        if (terminal) {
            out.print("\r" + line + (last ? "\n" : ""));
            out.flush();
        } else if (last || System.nanoTime() - lastLine > LINE_EVERY_NANOS) {
            out.println(line);
            lastLine = System.nanoTime();
        }
    }

    /** {@code [#####     ]}: twenty cells for a share from 0 to 1. */
    static String bar(double share) {
        int full = (int) Math.round(Math.max(0, Math.min(1, share)) * 20);
        return "[" + "#".repeat(full) + " ".repeat(20 - full) + "]";
    }
}
