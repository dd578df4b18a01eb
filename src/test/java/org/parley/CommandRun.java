package org.parley;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A {@code parley} command run in this JVM as an operator runs it (the same Main.run, the settings as
 * environment), with what it printed. Runs one at a time: System.out and System.err are swapped while it runs,
 * and echoed afterwards so the test log keeps them.
 */
record CommandRun(int status, String stdout, String stderr) {
    static synchronized CommandRun of(Map<String, String> env, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        var capturedOut = new ByteArrayOutputStream();
        var capturedErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(args, env);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        var run = new CommandRun(status, capturedOut.toString(StandardCharsets.UTF_8),
                capturedErr.toString(StandardCharsets.UTF_8));
        out.print(run.stdout());
        err.print(run.stderr());
        return run;
    }
}
