package org.parley.live;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.data.Databases;
import org.parley.web.HttpError;
import org.parley.web.PathParams;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET /live/{threadId}?v={version}}: a Server-Sent Events stream that says {@code event: version} with the
 * thread's new version whenever it changes, and a comment line every {@link #HEARTBEAT} so proxies and browsers
 * keep the idle connection. The page's script then fetches the thread's page (cached per version) and offers the
 * new comments. When the instance has no room, the stream says {@code event: full} once and ends: the script falls
 * back to polling. Each stream holds one parked virtual thread and no database connection.
 */
public final class LivePage {
    /** Under every proxy's idle timeout on the way (HAProxy's and Jetty's are 30 s). */
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** How long a browser waits before reconnecting a dropped stream. */
    static final int RECONNECT_MS = 3_000;
    /** After "full": come back to streaming no sooner than this (the script polls meanwhile). */
    static final int FULL_RETRY_MS = 60_000;

    private final LiveThreads live;
    private final Databases databases;

    public LivePage(LiveThreads live, Databases databases) {
        this.live = live;
        this.databases = databases;
    }

    /** GET /live/:thread */
    public void stream(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long threadId = PathParams.of(req).number("thread", () -> HttpError.notFound("There is no such discussion."));
        if (!databases.holds(threadId)) {
            throw HttpError.notFound("There is no such discussion.");
        }
        long seen = version(req.getParameter("v"));
        resp.setContentType("text/event-stream; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Accel-Buffering", "no"); // nginx: pass each event on at once
        PrintWriter out = resp.getWriter();
        Optional<Watcher> joined = live.join(threadId, seen);
        if (joined.isEmpty()) {
            out.write("retry: " + FULL_RETRY_MS + "\nevent: full\ndata: {}\n\n");
            out.flush();
            return;
        }
        Watcher watcher = joined.get();
        try {
            out.write("retry: " + RECONNECT_MS + "\n: watching thread " + threadId + "\n\n");
            out.flush();
            while (true) {
                long next = watcher.next(HEARTBEAT);
                if (next == Watcher.CLOSED) {
                    break;
                }
                out.write(next == 0 ? ": ping\n\n" : "event: version\ndata: {\"version\":" + next + "}\n\n");
                out.flush();
                if (out.checkError()) {
                    break; // the reader went away
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            live.leave(watcher);
        }
    }

    private static long version(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("'v' is the version of the thread the page showed.", "v");
        }
    }
}
