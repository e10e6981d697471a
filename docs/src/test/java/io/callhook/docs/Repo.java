package io.callhook.docs;

import io.callhook.launch.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the project the guides talk about, by their path from the project's root. */
final class Repo {

    static final Path ROOT = ProjectFiles.locate("pom.xml", "callhook.root.pom", "the project's root pom",
            "run the tests from the project").getParent();

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + relative, e);
        }
    }
}
