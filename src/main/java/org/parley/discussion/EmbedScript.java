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
        String path = Assets.CLASSPATH_FOLDER + hashed(assets, file);
        script = new Precompressed(read(path, true), read(path + ".gz", false), read(path + ".br", false));
    }

    /**
     * /embed.js of an instance that publishes cold threads on the CDN (docs/cdn.md, "Cold threads as static
     * snapshots"): the script learns the address of the snapshots' loader there. That is this deployment's, not
     * the build's, so the script is compressed once here instead of sent as the build made it.
     */
    public static EmbedScript withSnapshots(Assets assets, String loaderUrl) {
        byte[] built = read(Assets.CLASSPATH_FOLDER + hashed(assets, "embed.js"), true);
        String script = new String(built, java.nio.charset.StandardCharsets.UTF_8);
        if (!script.contains(SNAPSHOTS_PLACEHOLDER)) {
            throw new IllegalStateException("static/embed.js lacks '" + SNAPSHOTS_PLACEHOLDER + "'; rebuild the jar");
        }
        String filled = "var snapshots = " + org.parley.web.Json.string(loaderUrl) + ";";
        return new EmbedScript(Precompressed.of(script.replace(SNAPSHOTS_PLACEHOLDER, filled)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The line of static/embed.js that {@link #withSnapshots} fills in. */
    static final String SNAPSHOTS_PLACEHOLDER = "var snapshots = null;";

    private EmbedScript(Precompressed script) {
        this.script = script;
    }

    private static String hashed(Assets assets, String file) {
        String hashed = assets.hashedNames().get(file);
        if (hashed == null) {
            throw new IllegalStateException("static/" + file + " is not in " + Assets.MANIFEST + "; rebuild the jar");
        }
        return hashed;
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
