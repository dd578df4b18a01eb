package org.parley.web;

import com.aayushatharva.brotli4j.encoder.Encoder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A body kept in its encoded forms, made once, so that sending it costs no compression: brotli to a client that
 * accepts it, else gzip, else the plain bytes. Jetty's compression handler leaves a response that already has a
 * {@code Content-Encoding} as it is. Either twin may be missing (not smaller than the plain bytes, or brotli
 * unavailable); then the next form is sent. An encoded form's ETag is marked as the handler marks its own
 * ({@code "tag--br"}), so each form has its own tag and a revalidation of any of them still matches.
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

    /** Plain bytes only: Jetty's handler compresses them per request, as for any response. */
    public static Precompressed plain(byte[] plain) {
        return new Precompressed(plain, null, null);
    }

    /**
     * Compresses {@code plain} now, once: gzip at its best level, brotli at {@link Compression#BROTLI_QUALITY}
     * (the page is compressed once per version and process, but a render waits for it: 5 ms, not 11's 300).
     * Below {@link Compression#MIN_SIZE} nothing is compressed, as the handler would not.
     */
    public static Precompressed of(byte[] plain) {
        if (plain.length < Compression.MIN_SIZE) {
            return plain(plain);
        }
        byte[] gzip = smaller(gzip(plain), plain);
        byte[] brotli = Compression.brotliAvailable() ? smaller(brotli(plain), plain) : null;
        return new Precompressed(plain, gzip, brotli);
    }

    /** Sets Content-Encoding (when encoded), Content-Length and Vary, then writes the form the client reads best. */
    public void send(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = plain;
        if (brotli != null && AcceptEncoding.accepts(req, "br")) {
            body = encoded(resp, "br", brotli);
        } else if (gzip != null && AcceptEncoding.accepts(req, "gzip")) {
            body = encoded(resp, "gzip", gzip);
        }
        if (gzip != null || brotli != null) {
            varyOnAcceptEncoding(resp);
        }
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    public byte[] plainBytes() {
        return plain;
    }

    /** The bytes this holds in all its forms, for bounding a cache of them. */
    public long size() {
        return plain.length + (gzip == null ? 0 : gzip.length) + (brotli == null ? 0 : brotli.length);
    }

    private static byte[] encoded(HttpServletResponse resp, String coding, byte[] body) {
        resp.setHeader("Content-Encoding", coding);
        String etag = resp.getHeader("ETag");
        if (etag != null && etag.endsWith("\"")) {
            resp.setHeader("ETag", etag.substring(0, etag.length() - 1) + "--" + coding + "\"");
        }
        return body;
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

    private static byte[] smaller(byte[] encoded, byte[] plain) {
        return encoded.length < plain.length ? encoded : null;
    }

    private static byte[] gzip(byte[] plain) {
        var buffer = new ByteArrayOutputStream(plain.length / 4);
        try (var out = new GZIPOutputStream(buffer) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static byte[] brotli(byte[] plain) {
        try {
            return Encoder.compress(plain, new Encoder.Parameters().setQuality(Compression.BROTLI_QUALITY));
        } catch (IOException e) {
            throw new UncheckedIOException("brotli4j failed on " + plain.length + " bytes", e);
        }
    }
}
