package org.parley.web;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;

/**
 * Gzip for the text Parley writes per request — pages, JSON, feeds, SVG — when the client accepts it: a thread page
 * of 200 comments is mostly repeated markup and shrinks several times over. Not for the live streams (a deflater
 * holds back small events until its buffer fills, which would delay every "new comment" notice), and not for
 * files that already carry an encoding (the static files' gzip twins are made at build time and sent as they are).
 * Jetty's handler also keeps ETags and 304s right: the compressed variant's ETag is marked, and a revalidation
 * naming it is matched against the page's own.
 */
public final class Compression {
    /** Below this a response is sent as it is: the gzip header and a round trip of CPU cost more than they save. */
    static final int MIN_SIZE = 512;

    private Compression() {
    }

    public static Handler around(Handler handler) {
        GzipHandler gzip = new GzipHandler(handler);
        gzip.setMinGzipSize(MIN_SIZE);
        gzip.setIncludedMethods("GET", "HEAD", "POST");
        gzip.setIncludedMimeTypes("text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
                "application/json", "application/problem+json", "application/atom+xml", "application/rss+xml",
                "application/xml", "image/svg+xml");
        gzip.setExcludedPaths("/live/*");
        return gzip;
    }
}
