package org.parley.ops;

import jakarta.servlet.http.HttpServletRequest;
import org.parley.web.Routes;
import org.parley.web.UnexpectedErrors;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last {@link #KEPT} unexpected errors of this instance, newest first, for administrators at
 * {@code /admin/errors}: when, which request (its id is on the user's error page), which route, what was thrown
 * (the chain of exception types, the innermost message), the innermost exception's top frames and Parley's own
 * frames below them. Memory only —
 * a restart forgets them, and each instance lists its own; Sentry (PARLEY_SENTRY_DSN) is the durable record.
 */
public final class RecentErrors implements UnexpectedErrors {
    public static final int KEPT = 100;
    static final int FRAMES = 14;
    private static final int TOP_FRAMES = 4;
    private static final String OUR_PACKAGE = "org.parley.";
    private static final int MAX_MESSAGE = 2000;

    /** One error as the console lists it. */
    public record Entry(Instant at, String requestId, String method, String route, String chain, String type,
                        String message, List<String> frames) {
    }

    private final Clock clock;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public RecentErrors(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void report(HttpServletRequest req, String requestId, Throwable error) {
        add(clock.instant(), requestId, req.getMethod(), Routes.of(req), error);
    }

    void add(Instant at, String requestId, String method, String route, Throwable error) {
        List<String> chain = new ArrayList<>();
        Throwable root = error;
        for (Throwable t = error; t != null && chain.size() < 10; t = t.getCause()) {
            chain.add(t.getClass().getName());
            root = t;
        }
        List<String> frames = frames(error, root);
        String message = root.getMessage() == null ? "" : root.getMessage();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "…";
        }
        Entry entry = new Entry(at, requestId, method, route, String.join(" ← ", chain), root.getClass().getName(),
                message, List.copyOf(frames));
        synchronized (entries) {
            entries.addFirst(entry);
            while (entries.size() > KEPT) {
                entries.removeLast();
            }
        }
    }

    /**
     * The innermost exception's top frames (usually inside a library or the driver), then — since that is rarely
     * where the bug is — Parley's own frames from the innermost exception in the chain that has any.
     */
    private static List<String> frames(Throwable error, Throwable root) {
        List<String> frames = new ArrayList<>();
        StackTraceElement[] top = root.getStackTrace();
        for (int i = 0; i < Math.min(TOP_FRAMES, top.length); i++) {
            frames.add(top[i].toString());
        }
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && chain.size() < 10; t = t.getCause()) {
            chain.addFirst(t);
        }
        for (Throwable t : chain) {
            List<String> ours = new ArrayList<>();
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith(OUR_PACKAGE) && ours.size() < FRAMES - TOP_FRAMES) {
                    ours.add(frame.toString());
                }
            }
            if (!ours.isEmpty()) {
                if (!frames.contains(ours.getFirst())) {
                    frames.add("…");
                    ours.stream().filter(f -> !frames.contains(f)).forEach(frames::add);
                }
                break;
            }
        }
        return frames;
    }

    /** Newest first. */
    public List<Entry> list() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }
}
