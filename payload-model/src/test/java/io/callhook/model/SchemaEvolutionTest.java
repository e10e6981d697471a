package io.callhook.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Guards schema evolution. Every topic's value schema has its released versions committed under
 * {@code src/schema-history/<Name>/v<N>.avsc}. The current schema must be the newest of them (so a
 * change is always recorded as a new version) and compatible both ways with every earlier one.
 *
 * <p>To record a change: {@code mvn -pl payload-model test -Dtest=SchemaEvolutionTest -Dschema.record=true}
 * writes the next version file, if the change is compatible.
 */
class SchemaEvolutionTest {

    private static final Path HISTORY = Path.of("src", "schema-history");
    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.avsc");

    static Stream<Schema> topicValueSchemas() {
        return Stream.of(CallEvent.getClassSchema(), VisitSnapshot.getClassSchema(), Subscription.getClassSchema(),
                WebhookRequest.getClassSchema(), DeliveryAttempt.getClassSchema(), DeadLetter.getClassSchema(),
                AccountSubscription.getClassSchema(), SubscriptionStats.getClassSchema(), DeadLetterReplay.getClassSchema());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topicValueSchemas")
    void currentSchemaIsRecordedAndCompatibleWithEveryEarlierVersion(Schema current) throws IOException {
        String name = current.getName();
        List<Schema> history = history(name);
        if (Boolean.getBoolean("schema.record") && (history.isEmpty() || !sameSchema(last(history), current))) {
            assertThat(SchemaEvolution.problems(name, history, current)).as("incompatible change to " + name).isEmpty();
            Path next = HISTORY.resolve(name).resolve("v" + (history.size() + 1) + ".avsc");
            Files.createDirectories(next.getParent());
            Files.writeString(next, current.toString(true) + "\n", StandardCharsets.UTF_8);
            history = history(name);
        }
        assertThat(history).as("no recorded versions of %s under %s", name, HISTORY.resolve(name)).isNotEmpty();
        assertThat(SchemaEvolution.problems(name, history, current)).as("incompatible change to " + name).isEmpty();
        assertThat(sameSchema(last(history), current))
                .as("%s differs from its newest recorded version v%d: record it with -Dschema.record=true",
                        name, history.size())
                .isTrue();
    }

    @Test
    void aNewFieldWithoutDefaultIsRefused() throws IOException {
        Schema broken = resource("schema-evolution/CallEvent-new-field-without-default.avsc");
        assertThat(broken.getField("answeredBy")).as("the broken copy adds answeredBy").isNotNull();

        List<String> problems = SchemaEvolution.problems("CallEvent", history("CallEvent"), broken);

        assertThat(problems).isNotEmpty()
                .anySatisfy(problem -> assertThat(problem)
                        .contains("new reader cannot read data written with CallEvent v1")
                        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                        .contains("answeredBy"));
    }

    @Test
    void theSameNewFieldWithADefaultIsAccepted() throws IOException {
        Schema fixed = resource("schema-evolution/CallEvent-new-field-with-default.avsc");

        assertThat(SchemaEvolution.problems("CallEvent", history("CallEvent"), fixed)).isEmpty();
    }

    @Test
    void removingAFieldWithoutDefaultIsRefused() throws IOException {
        Schema broken = resource("schema-evolution/CallEvent-removed-field-without-default.avsc");

        assertThat(SchemaEvolution.problems("CallEvent", history("CallEvent"), broken))
                .anySatisfy(problem -> assertThat(problem)
                        .contains("readers on CallEvent v1 cannot read data written with the new schema")
                        .contains("eventId"));
    }

    private static List<Schema> history(String name) throws IOException {
        Path dir = HISTORY.resolve(name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            listing.filter(file -> VERSION.matcher(file.getFileName().toString()).matches()).forEach(files::add);
        }
        files.sort(Comparator.comparingInt(SchemaEvolutionTest::versionOf));
        for (int i = 0; i < files.size(); i++) {
            assertThat(versionOf(files.get(i))).as("versions of %s are numbered 1..n without gaps", name).isEqualTo(i + 1);
        }
        List<Schema> schemas = new ArrayList<>();
        for (Path file : files) {
            schemas.add(new Schema.Parser().parse(file.toFile()));
        }
        return schemas;
    }

    private static int versionOf(Path file) {
        Matcher matcher = VERSION.matcher(file.getFileName().toString());
        return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    private static Schema last(List<Schema> history) {
        return history.get(history.size() - 1);
    }

    /** Equal as written (field order, names, types, defaults, docs ignored only where Avro ignores them). */
    private static boolean sameSchema(Schema a, Schema b) {
        return a.equals(b) && SchemaNormalization.toParsingForm(a).equals(SchemaNormalization.toParsingForm(b));
    }

    private static Schema resource(String path) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new Schema.Parser().parse(in);
        }
    }
}
