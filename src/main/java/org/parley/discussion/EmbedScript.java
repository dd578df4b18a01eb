package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A script host pages include by a fixed address ({@code /embed.js}, and the Disqus shapes' {@code embed.js} and
 * {@code count.js}). Its URL is part of the public contract and cannot carry a content hash, so it is cached
 * briefly (five minutes) rather than forever.
 */
public final class EmbedScript {
    private static final String CACHE = "public, max-age=300";
    private final byte[] script;

    public EmbedScript() {
        this("embed.js");
    }

    /** @param file the script's name in static/ */
    public EmbedScript(String file) {
        try (InputStream in = EmbedScript.class.getResourceAsStream("/static/" + file)) {
            if (in == null) {
                throw new IllegalStateException("static/" + file + " is missing from the jar");
            }
            script = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET /embed.js, /disqus/:site/embed.js, /disqus/:site/count.js */
    public void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/javascript; charset=utf-8");
        resp.setHeader("Cache-Control", CACHE);
        resp.setContentLength(script.length);
        resp.getOutputStream().write(script);
    }
}
