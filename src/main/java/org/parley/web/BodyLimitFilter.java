package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Refuses request bodies over a size limit with 413, so one oversized post cannot tie up memory or a parser.
 * A declared Content-Length is checked before the handler runs; a body without one (chunked) is counted as the
 * handler reads it. Forms read with getParameter are capped by Jetty itself
 * ({@code ServletContextHandler.setMaxFormContentSize}, set to the same limit), and {@link ErrorFilter} turns
 * Jetty's refusal into the same 413.
 */
public final class BodyLimitFilter extends HttpFilter {
    /** Comments, profiles and sign-in forms: a long comment is a few KiB. Imports will get their own, larger limit. */
    public static final int FORM_MAX_BYTES = 64 * 1024;
    /**
     * A refused body up to this size is read and thrown away before the 413 goes out. Otherwise the server closes
     * the connection while the client is still sending, the client's TCP stack sees a reset, and the 413 it was
     * about to read is lost (the client reports a broken connection instead of the clear refusal). Larger bodies
     * are refused at once and the connection closed.
     */
    public static final long DRAIN_MAX_BYTES = 1024 * 1024;

    private final long maxBytes;

    public BodyLimitFilter(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        long declared = req.getContentLengthLong();
        if (declared > maxBytes) {
            if (declared <= DRAIN_MAX_BYTES) {
                drain(req);
            } else {
                resp.setHeader("Connection", "close");
            }
            throw tooLarge();
        }
        // a declared length is enforced by Jetty (the body cannot run past it); only an open-ended one is counted
        chain.doFilter(declared < 0 ? new Capped(req) : req, resp);
    }

    private static void drain(HttpServletRequest req) throws IOException {
        byte[] buffer = new byte[8192];
        var in = req.getInputStream();
        while (in.read(buffer) != -1) {
            // discarded: only the refusal matters now
        }
    }

    private HttpError tooLarge() {
        return HttpError.tooLarge("The request is too large: this address accepts at most " + describe(maxBytes)
                + ".");
    }

    static String describe(long bytes) {
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }

    private static Charset charset(String encoding) {
        if (encoding == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(encoding);
        } catch (IllegalArgumentException e) { // an illegal or unknown name: the client's mistake, not ours
            throw new HttpError(415, "The character set '" + encoding + "' is not supported; send UTF-8.");
        }
    }

    /** The request with a body stream that refuses to read past the limit. */
    private final class Capped extends HttpServletRequestWrapper {
        private ServletInputStream capped;

        Capped(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (capped == null) {
                capped = new CappedInputStream(super.getInputStream());
            }
            return capped;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            return new BufferedReader(new InputStreamReader(getInputStream(), charset(getCharacterEncoding())));
        }

    }

    /**
     * Counts what the handler reads. Past the limit it throws {@link HttpError} rather than an IOException: a
     * handler that catches IOException must not mistake the refusal for a broken connection and carry on.
     */
    private final class CappedInputStream extends ServletInputStream {
        private final ServletInputStream body;
        private long read;

        CappedInputStream(ServletInputStream body) {
            this.body = body;
        }

        @Override
        public int read() throws IOException {
            int b = body.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = body.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > maxBytes) {
                drainRest(); // as for a declared length: the client must be able to read the 413, not a reset
                throw tooLarge();
            }
        }

        /** What is left of the body, up to {@link #DRAIN_MAX_BYTES} in all, read and thrown away. */
        private void drainRest() {
            byte[] buffer = new byte[8192];
            try {
                for (int n = body.read(buffer); n != -1 && read <= DRAIN_MAX_BYTES; n = body.read(buffer)) {
                    read += n;
                }
            } catch (IOException e) {
                // the client went away: there is nobody left to tell
            }
        }

        @Override
        public boolean isFinished() {
            return body.isFinished();
        }

        @Override
        public boolean isReady() {
            return body.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            body.setReadListener(listener);
        }
    }
}
