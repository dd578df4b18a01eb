package org.parley.discussion;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.parley.web.Assets;
import org.parley.web.Precompressed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A script host pages include by a fixed address ({@code /embed.js}, and the Disqus shapes' {@code embed.js} and
 * {@code count.js}). Its URL is part of the public contract and cannot carry a content hash, so it is cached
 * briefly (five minutes) rather than forever. It is sent as the build made it: the fingerprinted file's brotli or
 * gzip twin to a browser that accepts it (no compression per request, and brotli's strongest setting).
 */
public final class EmbedScript {
    private static final String CACHE = "public, max-age=300";
    private final Precompressed script;

    public EmbedScript(Assets assets) {
        this(assets, "embed.js");
    }

    /** @param file the script's name in static/ */
    public EmbedScript(Assets assets, String file) {
        String hashed = assets.hashedNames().get(file);
        if (hashed == null) {
            throw new IllegalStateException("static/" + file + " is not in " + Assets.MANIFEST + "; rebuild the jar");
        }
        String path = Assets.CLASSPATH_FOLDER + hashed;
        script = new Precompressed(read(path, true), read(path + ".gz", false), read(path + ".br", false));
    }

    /** GET /embed.js, /disqus/:site/embed.js, /disqus/:site/count.js */
    public void serve(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/javascript; charset=utf-8");
        resp.setHeader("Cache-Control", CACHE);
        script.send(req, resp);
    }

    /** The file's bytes; null for a twin the build did not make (not smaller than the file). */
    private static byte[] read(String path, boolean required) {
        try (InputStream in = EmbedScript.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                if (required) {
                    throw new IllegalStateException(path + " is missing from the jar; rebuild it");
                }
                return null;
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
