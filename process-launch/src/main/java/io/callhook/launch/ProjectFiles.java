package io.callhook.launch;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds build outputs of other modules (packaged jars) from a test running in any module. */
public final class ProjectFiles {

    private ProjectFiles() {
    }

    /**
     * A file under the project root: the path in system property {@code override} if set, else
     * {@code relative} under {@code -Dcallhook.root} (which the build sets), else under the first
     * parent of the working directory that has it.
     */
    public static Path locate(String relative, String override, String what, String remedy) {
        String explicit = System.getProperty(override);
        if (explicit != null && !explicit.isBlank()) {
            return require(Path.of(explicit), what, remedy);
        }
        String root = System.getProperty("callhook.root");
        if (root != null && !root.isBlank()) {
            return require(Path.of(root).resolve(relative), what, remedy);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(what + " (" + relative + ") was not found above "
                + Path.of("").toAbsolutePath() + ": " + remedy + ".");
    }

    private static Path require(Path file, String what, String remedy) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(what + " is missing at " + file + ": " + remedy + ".");
        }
        return file;
    }
}
