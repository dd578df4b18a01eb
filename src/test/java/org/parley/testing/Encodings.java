package org.parley.testing;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import com.aayushatharva.brotli4j.encoder.Encoder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Unpacks response bodies as a browser would, so tests compare what the user finally reads; packs text as Parley
 * does, to weigh alternatives.
 */
public final class Encodings {
    private Encodings() {
    }

    public static byte[] gunzip(byte[] bytes) {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** brotli4j's decoder, the native library that Parley encodes with (decoding does not depend on Parley's). */
    public static byte[] unbrotli(byte[] bytes) {
        Brotli4jLoader.ensureAvailability();
        try {
            DirectDecompress result = DirectDecompress.decompress(bytes);
            if (result.getResultStatus() != DecoderJNI.Status.DONE) {
                throw new IllegalStateException("not a complete brotli stream (" + result.getResultStatus() + ", "
                        + bytes.length + " bytes)");
            }
            return result.getDecompressedData();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** gzip at the JDK's default level, as Jetty's handler compresses per request. */
    public static byte[] gzip(byte[] bytes) {
        var buffer = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(buffer)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    public static byte[] brotli(byte[] bytes, int quality) {
        Brotli4jLoader.ensureAvailability();
        try {
            return Encoder.compress(bytes, new Encoder.Parameters().setQuality(quality));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
