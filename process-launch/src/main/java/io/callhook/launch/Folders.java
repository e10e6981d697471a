package io.callhook.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Deleting the folders that brokers, registries and services write: the demo's data, benchmarks' and tests' scratch folders. */
public final class Folders {

    private Folders() {
    }

    /** Deletes {@code dir} and everything below it, if it exists; the first file that cannot go stops it. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        for (Path path : deepestFirst(dir)) {
            Files.delete(path);
        }
    }

    /**
     * Deletes everything below {@code dir} except {@code keep} and what is in it; {@code dir} stays.
     * The first file that cannot go stops it.
     */
    public static void empty(Path dir, Path keep) throws IOException {
        for (Path path : deepestFirst(dir)) {
            if (!path.equals(dir) && !path.startsWith(keep)) {
                Files.delete(path);
            }
        }
    }

    /**
     * Deletes what it can below {@code dir} except {@code keep} and what is in it; a file still held
     * by a process stays, and so do the folders holding such files.
     */
    public static void emptyQuietly(Path dir, Path keep) {
        try {
            for (Path path : deepestFirst(dir)) {
                if (!path.startsWith(keep)) {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException e) {
                        // a folder not empty, or a file still held: left for the OS's temp cleaning
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the folder is already gone, or unreadable: nothing more to do
        }
    }

    private static List<Path> deepestFirst(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.sorted(Comparator.reverseOrder()).toList();
        }
    }
}
