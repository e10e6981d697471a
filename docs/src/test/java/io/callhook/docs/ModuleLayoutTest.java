package io.callhook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's module table is the map a newcomer reads first: it must name exactly the modules
 * the build has, and the boundaries it states must hold in the poms and sources.
 */
class ModuleLayoutTest {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `([a-z-]+)` \\|");
    // A dependency block on one of our artifacts, with its scope when it has one.
    private static final Pattern OUR_DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>io\\.callhook</groupId>\\s*<artifactId>([^<]+)</artifactId>(.*?)</dependency>",
            Pattern.DOTALL);

    @Test
    void theReadmeTableNamesEveryModuleOfTheBuildAndNoOther() {
        List<String> built = all(MODULE, Repo.read("pom.xml"));
        String readme = Repo.read("README.md");
        String table = readme.substring(readme.indexOf("## Modules"), readme.indexOf("\n## ", readme.indexOf("## Modules") + 1));

        assertThat(all(TABLE_ROW, table)).containsExactlyInAnyOrderElementsOf(built);
    }

    @Test
    void noModuleShipsTheTestKit() {
        for (String module : all(MODULE, Repo.read("pom.xml"))) {
            Matcher dependency = OUR_DEPENDENCY.matcher(Repo.read(module + "/pom.xml"));
            while (dependency.find()) {
                if (dependency.group(1).equals("test-kit")) {
                    assertThat(dependency.group(2)).as(module + "'s dependency on test-kit").contains("<scope>test</scope>");
                }
            }
        }
    }

    @Test
    void thePayloadModelHoldsTheContractOnly() throws IOException {
        // The SSRF guard and the subscription rules are policy: they live in delivery-policy.
        try (var packages = Files.list(Repo.path("payload-model/src/main/java/io/callhook"))) {
            assertThat(packages.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("body", "deadletter", "serde", "testcall", "topic");
        }
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
