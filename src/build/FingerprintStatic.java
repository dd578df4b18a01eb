import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Build step (run by exec-maven-plugin in process-resources): copies every file of static/ into
 * target/classes/assets/ under a name that carries its content hash ({@code parley.css} becomes
 * {@code parley.3f9c0a1b2d.css}), writes a gzip twin ({@code .gz}) and a brotli twin ({@code .br}) for text
 * files, and records the mapping in target/classes/static-manifest.properties, which templates link through
 * (org.parley.web.Assets).
 *
 * A changed file gets a new name, so browsers and CDNs may keep each name forever ("immutable"). The twins are made
 * here once, at the strongest settings (brotli's quality 11 takes tens of milliseconds a file, far too slow per
 * request), rather than on every request. Output is deterministic: the same sources give the same bytes.
 * Runs with the project's classpath, for brotli4j and its native library.
 */
public class FingerprintStatic {
    private static final int HASH_HEX_CHARS = 10;
    private static final Set<String> COMPRESSIBLE = Set.of("css", "js", "svg", "json", "txt", "html", "map");
    /** Brotli's strongest; the window of brotli's command-line default, ample for files of tens of kilobytes. */
    private static final int BROTLI_QUALITY = 11;
    private static final int BROTLI_WINDOW = 22;

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        Path assets = Path.of(args[1]);
        Path manifest = Path.of(args[2]);
        Brotli4jLoader.ensureAvailability(); // the build's platform must have brotli4j's native library
        deleteTree(assets);
        Files.createDirectories(assets);
        var mapping = new TreeMap<String, String>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = source.relativize(file).toString().replace('\\', '/');
            byte[] bytes = Files.readAllBytes(file);
            String hashed = hashedName(name, bytes);
            Path target = assets.resolve(hashed);
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
            if (COMPRESSIBLE.contains(extension(name))) {
                byte[] gzipped = gzip(bytes);
                if (gzipped.length < bytes.length) {
                    Files.write(target.resolveSibling(target.getFileName() + ".gz"), gzipped);
                }
                byte[] brotli = Encoder.compress(bytes,
                        new Encoder.Parameters().setQuality(BROTLI_QUALITY).setWindow(BROTLI_WINDOW));
                if (brotli.length < Math.min(bytes.length, gzipped.length)) {
                    Files.write(target.resolveSibling(target.getFileName() + ".br"), brotli);
                }
            }
            mapping.put(name, hashed);
        }
        var out = new StringBuilder("# static file -> its content-hashed name under /assets/ (written by src/build/FingerprintStatic.java)\n");
        mapping.forEach((name, hashed) -> out.append(name).append('=').append(hashed).append('\n'));
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, out);
        System.out.println("[assets] " + mapping.size() + " static files fingerprinted into " + assets);
    }

    /** {@code css/site.css} with content hash h becomes {@code css/site.h.css}; a name without a dot gets {@code .h}. */
    static String hashedName(String name, byte[] bytes) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                .substring(0, HASH_HEX_CHARS);
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot > slash + 1
                ? name.substring(0, dot) + "." + hash + name.substring(dot)
                : name + "." + hash;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        var buffer = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(buffer) {
            { def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION); }
        }) {
            gzip.write(bytes);
        }
        return buffer.toByteArray();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
