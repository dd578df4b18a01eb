package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Locale;

/**
 * A body kept in its encoded forms, made once, so that sending it costs no compression: brotli to a client that
 * accepts it, else gzip, else the plain bytes. Jetty's compression handler leaves a response that already has a
 * {@code Content-Encoding} as it is. Either twin may be missing (not smaller than the plain bytes); then the next
 * form is sent.
 */
public final class Precompressed {
    private final byte[] plain;
    private final byte[] gzip;
    private final byte[] brotli;

    /** @param gzip the gzip twin, or null; @param brotli the brotli twin, or null */
    public Precompressed(byte[] plain, byte[] gzip, byte[] brotli) {
        this.plain = plain;
        this.gzip = gzip;
        this.brotli = brotli;
    }

    /** Sets Content-Encoding (when encoded), Content-Length and Vary, then writes the form the client reads best. */
    public void send(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = plain;
        if (brotli != null && AcceptEncoding.accepts(req, "br")) {
            resp.setHeader("Content-Encoding", "br");
            body = brotli;
        } else if (gzip != null && AcceptEncoding.accepts(req, "gzip")) {
            resp.setHeader("Content-Encoding", "gzip");
            body = gzip;
        }
        if (gzip != null || brotli != null) {
            varyOnAcceptEncoding(resp);
        }
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** The compression handler has usually put it there already; a shared cache must keep the forms apart. */
    private static void varyOnAcceptEncoding(HttpServletResponse resp) {
        for (String vary : resp.getHeaders("Vary")) {
            if (vary.toLowerCase(Locale.ROOT).contains("accept-encoding")) {
                return;
            }
        }
        resp.addHeader("Vary", "Accept-Encoding");
    }

    public byte[] plain() {
        return plain;
    }
}
