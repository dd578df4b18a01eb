package org.parley.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temporary directories tests make for the servers and browsers they start. */
public final class TempDirs {
    private TempDirs() {
    }

    /**
     * Deletes a directory and everything in it, nothing thrown: at worst it stays, which is harmless. Call it once
     * whatever wrote there has exited (a server still stopping writes its last files meanwhile, which once left
     * 4 GB behind after every full run).
     *
     * @return whether the directory is gone
     */
    public static boolean deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // gone already, or unreadable: what is left stays
        }
        return !Files.exists(root);
    }
}
