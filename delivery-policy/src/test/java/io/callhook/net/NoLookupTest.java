package io.callhook.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The guard must never resolve a name: a lookup of attacker-chosen text leaks to DNS, and a
 * reverse lookup of a checked address is a network call on every delivery. These JDK methods
 * may resolve, so this package and its tests do not call them.
 */
class NoLookupTest {

    private static final Pattern RESOLVING_CALL = Pattern.compile(
            "\\b(getByName|getAllByName|getHostName|getCanonicalHostName|getLocalHost|isReachable)\\s*\\(");

    @Test
    void noSourceOfThisPackageCallsAResolvingMethod() throws IOException {
        List<Path> offenders;
        try (Stream<Path> sources = Stream.of(Path.of("src/main/java/io/callhook/net"), Path.of("src/test/java/io/callhook/net"))
                .flatMap(NoLookupTest::javaFiles)) {
            offenders = sources.filter(NoLookupTest::callsAResolvingMethod).collect(Collectors.toList());
        }

        assertThat(Files.isDirectory(Path.of("src/main/java/io/callhook/net"))).as("run from the module directory").isTrue();
        assertThat(offenders).isEmpty();
    }

    private static Stream<Path> javaFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.toString().endsWith(".java")).collect(Collectors.toList()).stream();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + directory, e);
        }
    }

    private static boolean callsAResolvingMethod(Path source) {
        try {
            // This file names the methods in its pattern, as text, not as calls.
            return !source.endsWith("NoLookupTest.java") && RESOLVING_CALL.matcher(Files.readString(source)).find();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + source, e);
        }
    }
}
