package org.parley.web;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads brotli4j's native library once, or says once why Brotli is off (the jar carries Linux x86-64's only;
 * elsewhere Parley gzips).
 *
 * <p>Left to itself, brotli4j copies the library into a new directory under {@code java.io.tmpdir} at every start
 * and deletes it only when the JVM exits normally, so every killed instance (an OOM kill, a fleet drill, a
 * {@code kill -9}) left a megabyte behind. Parley makes that copy itself in a private temporary directory, points
 * brotli4j at it ({@code brotli4j.library.path}), and deletes it as soon as it is loaded: Linux keeps a loaded
 * library mapped after its file is gone. An operator's own {@code brotli4j.library.path} is left alone.
 */
final class BrotliLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(BrotliLibrary.class);
    private static final String PATH_PROPERTY = "brotli4j.library.path";
    private static final String LINUX_X86_64 = "/lib/linux-x86_64/libbrotli.so";

    static final boolean LOADED = load();

    private BrotliLibrary() {
    }

    private static boolean load() {
        Path copy = copyForThisProcess();
        try {
            Brotli4jLoader.ensureAvailability();
            return true;
        } catch (Throwable e) { // UnsatisfiedLinkError on a platform whose native library the jar lacks
            LOG.warn("Brotli is off: brotli4j's native library did not load on {} {} ({}); responses are gzipped"
                    + " only", System.getProperty("os.name"), System.getProperty("os.arch"), reason(e));
            return false;
        } finally {
            if (copy != null) {
                System.clearProperty(PATH_PROPERTY); // brotli4j read it once; the file is about to go
                deleteQuietly(copy);
            }
        }
    }

    /**
     * The library copied to a fresh private directory and named in brotli4j's property; null to leave brotli4j to
     * its own search (another platform, the operator's own path, or no copy could be made here).
     */
    private static Path copyForThisProcess() {
        boolean linuxX86 = "Linux".equalsIgnoreCase(System.getProperty("os.name"))
                && "amd64".equalsIgnoreCase(System.getProperty("os.arch"));
        if (!linuxX86 || System.getProperty(PATH_PROPERTY) != null) {
            return null;
        }
        Path copy = null;
        try (InputStream library = Brotli4jLoader.class.getResourceAsStream(LINUX_X86_64)) {
            if (library == null) {
                return null; // brotli4j's own search will explain what is missing
            }
            copy = Files.createTempDirectory("parley-brotli").resolve("libbrotli.so");
            Files.copy(library, copy);
            System.setProperty(PATH_PROPERTY, copy.toString());
            return copy;
        } catch (IOException e) { // a full or read-only temporary directory: brotli4j tries its own way
            LOG.debug("could not copy brotli4j's library; leaving it to brotli4j", e);
            deleteQuietly(copy);
            return null;
        }
    }

    /** brotli4j keeps why its library did not load (e.g. a temporary directory mounted noexec); e hides it. */
    private static String reason(Throwable e) {
        try {
            Throwable cause = Brotli4jLoader.getUnavailabilityCause();
            return (cause != null ? cause : e).toString();
        } catch (Throwable unavailable) { // the loader class itself could not be initialised
            return e.toString();
        }
    }

    private static void deleteQuietly(Path copy) {
        if (copy == null) {
            return;
        }
        try {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(copy.getParent()); // the directory, also when the copy itself failed
        } catch (IOException e) {
            LOG.debug("could not delete {}", copy, e);
        }
    }
}
