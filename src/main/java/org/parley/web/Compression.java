package org.parley.web;

import org.eclipse.jetty.compression.brotli.BrotliCompression;
import org.eclipse.jetty.compression.brotli.BrotliEncoderConfig;
import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.server.Handler;

import java.util.List;
import java.util.Optional;

/**
 * Brotli or gzip for the text Parley writes per request — pages, JSON, feeds, SVG — when the client accepts it: a
 * thread page of 200 comments is mostly repeated markup and shrinks several times over, brotli a little more than
 * gzip. Browsers that accept both get brotli. Not for the live streams (an encoder holds back small events until its
 * buffer fills, which would delay every "new comment" notice), and not for responses that already carry an encoding
 * (the static files' twins are made at build time and sent as they are). Jetty's handler also keeps ETags and 304s
 * right: the compressed variant's ETag is marked ({@code --br}, {@code --gzip}), and a revalidation naming it is
 * matched against the page's own. Request bodies are never decompressed: no form or API sends them compressed, and
 * inflating what a client sends would only open a way to exhaust memory.
 */
public final class Compression {
    /** Below this a response is sent as it is: the encoding's header and a round trip of CPU cost more than they save. */
    static final int MIN_SIZE = 512;
    /**
     * Brotli's quality for what is compressed per request. Jetty's default, 11, is for files compressed once: on the
     * 200-comment page (202 KB) it took 289 ms of CPU for 15.9 KB; 5 took 1.7 ms for 17.8 KB, where gzip's default
     * level took 2.4 ms for 21.7 KB (docs/caching.md, "Compression"). 7 and up cost several times more for 2 %.
     */
    static final int BROTLI_QUALITY = 5;
    /** Encodings in the order Parley prefers them when a client accepts several with the same weight. */
    static final List<String> PREFERRED = List.of("br", "gzip");
    static final List<String> MIME_TYPES = List.of("text/html", "text/css", "text/plain", "text/javascript",
            "application/javascript", "application/json", "application/problem+json", "application/atom+xml",
            "application/rss+xml", "application/xml", "image/svg+xml");
    static final String LIVE_STREAMS = "/live/*";

    private Compression() {
    }

    public static Handler around(Handler handler) {
        var compression = new CompressionHandler(handler);
        var gzip = new GzipCompression();
        gzip.setMinCompressSize(MIN_SIZE);
        compression.putCompression(gzip);
        brotli().ifPresent(compression::putCompression);

        var config = CompressionConfig.builder()
                .compressPreferredEncodings(PREFERRED)
                .compressIncludeMethod("GET")
                .compressIncludeMethod("HEAD")
                .compressIncludeMethod("POST")
                .compressExcludePath(LIVE_STREAMS)
                // no decompression of request bodies, whatever their Content-Encoding
                .decompressExcludeEncoding("gzip")
                .decompressExcludeEncoding("br");
        MIME_TYPES.forEach(config::compressIncludeMimeType);
        compression.putConfiguration("/", config.build());
        return compression;
    }

    /** Whether brotli4j's native library loaded here (tried once, with a WARN when it did not). */
    static boolean brotliAvailable() {
        return BrotliLibrary.LOADED;
    }

    private static Optional<BrotliCompression> brotli() {
        if (!brotliAvailable()) {
            return Optional.empty();
        }
        var brotli = new BrotliCompression();
        brotli.setMinCompressSize(MIN_SIZE);
        var encoder = new BrotliEncoderConfig();
        encoder.setCompressionLevel(BROTLI_QUALITY);
        brotli.setDefaultEncoderConfig(encoder);
        return Optional.of(brotli);
    }
}
