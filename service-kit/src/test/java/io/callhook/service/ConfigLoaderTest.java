package io.callhook.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.callhook.duration.DurationText;
import io.callhook.testkit.LogCapture;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    enum Guarantee { AT_LEAST_ONCE, EXACTLY_ONCE_V2 }

    static final ConfigKey<Integer> HTTP_PORT = ConfigKey.intRange("callhook.http.port",
            "Port of the subscription API.", 1, 65535).withDefault("8080");
    static final ConfigKey<Duration> TIMEOUT = ConfigKey.duration("callhook.http.request-timeout",
            "How long one delivery may take.").withDefault("10s");
    static final ConfigKey<List<HostPort>> BOOTSTRAP = ConfigKey.hostPortList("callhook.kafka.bootstrap-servers",
            "Kafka brokers to connect to first.");
    static final ConfigKey<String> SIGNING_SECRET = ConfigKey.string("callhook.signing.secret",
            "Secret the webhooks are signed with.").secret().withDefault("whsec_default");
    static final ConfigKey<Boolean> AUTO_REGISTER = ConfigKey.bool("callhook.registry.auto-register",
            "Whether serializers register schemas.").withDefault("true");
    static final ConfigKey<Guarantee> GUARANTEE = ConfigKey.enumOf("callhook.streams.guarantee",
            "Processing guarantee.", Guarantee.class).withDefault("exactly_once_v2");
    static final ConfigKey<List<String>> PRODUCTS = ConfigKey.stringList("callhook.products",
            "Products served.").withDefault("callkeeper,calltracking");
    static final ConfigKey<URI> REGISTRY_URL = ConfigKey.url("callhook.registry.url",
            "Schema registry base URL.").withDefault("http://127.0.0.1:8081");
    static final ConfigKey<Path> GEO_DB = ConfigKey.path("callhook.geo.database",
            "GeoLite2 City database.").optional();
    static final ConfigKey<Long> MAX_BYTES = ConfigKey.longRange("callhook.http.max-body-bytes",
            "Largest body sent.", 1, Long.MAX_VALUE).withDefault("1048576");
    static final ConfigKey<String> TOPIC = ConfigKey.string("callhook.topic.call-events",
            "Topic of call events.").withDefault("calls.events");

    static final List<ConfigKey<?>> KEYS = List.of(HTTP_PORT, TIMEOUT, BOOTSTRAP, SIGNING_SECRET, AUTO_REGISTER,
            GUARANTEE, PRODUCTS, REGISTRY_URL, GEO_DB, MAX_BYTES, TOPIC);

    /** The one required key, so the other tests need not repeat it. */
    static final Map<String, String> MINIMAL_ENV = Map.of("CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");

    @TempDir
    Path dir;

    @Test
    void defaultsApplyWhenNothingIsSet() {
        Config config = ConfigLoader.load(KEYS, new String[0], MINIMAL_ENV);

        assertThat(config.get(HTTP_PORT)).isEqualTo(8080);
        assertThat(config.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.get(BOOTSTRAP)).containsExactly(new HostPort("127.0.0.1", 9092));
        assertThat(config.get(SIGNING_SECRET)).isEqualTo("whsec_default");
        assertThat(config.get(AUTO_REGISTER)).isTrue();
        assertThat(config.get(GUARANTEE)).isEqualTo(Guarantee.EXACTLY_ONCE_V2);
        assertThat(config.get(PRODUCTS)).containsExactly("callkeeper", "calltracking");
        assertThat(config.get(REGISTRY_URL)).isEqualTo(URI.create("http://127.0.0.1:8081"));
        assertThat(config.find(GEO_DB)).isEmpty();
        assertThat(config.get(MAX_BYTES)).isEqualTo(1_048_576L);
        assertThat(config.get(TOPIC)).isEqualTo("calls.events");
        assertThat(config.kafkaOverrides()).isEmpty();
    }

    @Test
    void fileOverridesDefaultAndEnvOverridesFile() throws IOException {
        Path file = write("callhook.http.port=9000\ncallhook.http.request-timeout=PT30S\n");

        Config config = ConfigLoader.load(KEYS, new String[] {"--config", file.toString()},
                env("CALLHOOK_HTTP_PORT", "9100"));

        assertThat(config.get(HTTP_PORT)).as("env over file").isEqualTo(9100);
        assertThat(config.get(TIMEOUT)).as("file over default").isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(MAX_BYTES)).as("default").isEqualTo(1_048_576L);
    }

    @Test
    void fileComesFromTheArgumentInEitherFormOrFromCallhookConfig() throws IOException {
        Path fromArg = write("callhook.http.port=9001\n");
        Path fromEnv = Files.writeString(dir.resolve("env.properties"), "callhook.http.port=9002\n");

        assertThat(ConfigLoader.load(KEYS, new String[] {"serve", "--config=" + fromArg}, MINIMAL_ENV).get(HTTP_PORT))
                .isEqualTo(9001);
        assertThat(ConfigLoader.load(KEYS, new String[0], env("CALLHOOK_CONFIG", fromEnv.toString())).get(HTTP_PORT))
                .isEqualTo(9002);
        assertThat(ConfigLoader.load(KEYS, new String[] {"--config", fromArg.toString()},
                env("CALLHOOK_CONFIG", fromEnv.toString())).get(HTTP_PORT)).as("argument wins").isEqualTo(9001);
    }

    @Test
    void fileIsReadAsUtf8() throws IOException {
        Path file = dir.resolve("utf8.properties");
        Files.writeString(file, "callhook.topic.call-events=звонки.события\n", StandardCharsets.UTF_8);

        assertThat(load(file).get(TOPIC)).isEqualTo("звонки.события");
    }

    @Test
    void errorNamesTheKeyTheValueAndTheEnvVar() {
        assertProblems(() -> ConfigLoader.load(KEYS, new String[0], env("CALLHOOK_HTTP_PORT", "abc")),
                "callhook.http.port = 'abc' (from env CALLHOOK_HTTP_PORT) is not an integer between 1 and 65535");
    }

    @Test
    void errorNamesTheFile() throws IOException {
        Path file = write("callhook.http.request-timeout=30\n");
        assertProblems(() -> load(file), "callhook.http.request-timeout = '30' (from file " + file + ") "
                + "is not a duration (" + DurationText.EXPECTED + ")");
    }

    @Test
    void everyKindReportsItsProblemNamingKeyAndEnvVar() {
        Map<String, String> env = env(
                "CALLHOOK_HTTP_PORT", "0",
                "CALLHOOK_HTTP_REQUEST_TIMEOUT", "5 seconds",
                "CALLHOOK_KAFKA_BOOTSTRAP_SERVERS", "kafka-1",
                "CALLHOOK_REGISTRY_AUTO_REGISTER", "yes",
                "CALLHOOK_STREAMS_GUARANTEE", "exactly_once",
                "CALLHOOK_REGISTRY_URL", "registry:8081",
                "CALLHOOK_GEO_DATABASE", " ",
                "CALLHOOK_HTTP_MAX_BODY_BYTES", "1MB",
                "CALLHOOK_TOPIC_CALL_EVENTS", "");

        assertProblems(() -> ConfigLoader.load(KEYS, new String[0], env),
                "callhook.http.port = '0' (from env CALLHOOK_HTTP_PORT) is not an integer between 1 and 65535",
                "callhook.http.request-timeout = '5 seconds' (from env CALLHOOK_HTTP_REQUEST_TIMEOUT) "
                        + "is not a duration (" + DurationText.EXPECTED + ")",
                "callhook.kafka.bootstrap-servers = 'kafka-1' (from env CALLHOOK_KAFKA_BOOTSTRAP_SERVERS) is not a"
                        + " comma-separated list of host:port (bad entry 'kafka-1', expected e.g. kafka-1:9092 or [::1]:9092)",
                "callhook.registry.auto-register = 'yes' (from env CALLHOOK_REGISTRY_AUTO_REGISTER) is not true or false",
                "callhook.streams.guarantee = 'exactly_once' (from env CALLHOOK_STREAMS_GUARANTEE) is not one of"
                        + " [AT_LEAST_ONCE, EXACTLY_ONCE_V2]",
                "callhook.registry.url = 'registry:8081' (from env CALLHOOK_REGISTRY_URL) is not an absolute http(s)"
                        + " URL (e.g. http://127.0.0.1:8081)",
                "callhook.geo.database = '' (from env CALLHOOK_GEO_DATABASE) must not be blank",
                "callhook.http.max-body-bytes = '1MB' (from env CALLHOOK_HTTP_MAX_BODY_BYTES) is not an integer"
                        + " between 1 and 9223372036854775807",
                "callhook.topic.call-events = '' (from env CALLHOOK_TOPIC_CALL_EVENTS) must not be blank");
    }

    @Test
    void missingRequiredKeyNamesItsEnvVarAndDoc() {
        assertProblems(() -> ConfigLoader.load(KEYS, new String[0], Map.of()),
                "callhook.kafka.bootstrap-servers is required: set it in the config file or env"
                        + " CALLHOOK_KAFKA_BOOTSTRAP_SERVERS (Kafka brokers to connect to first.)");
    }

    @Test
    void unknownCallhookKeyInFileIsRefusedWithASuggestion() throws IOException {
        Path file = write("callhook.htp.port=9000\ncallhook.something.else=1\n");

        assertProblems(() -> load(file),
                "config file " + file + ": unknown key callhook.htp.port (did you mean callhook.http.port?)",
                "config file " + file + ": unknown key callhook.something.else");
    }

    @Test
    void keyOutsideCallhookAndKafkaInFileIsRefused() throws IOException {
        Path file = write("security.protocol=SSL\n");

        assertProblems(() -> load(file), "config file " + file + ": unknown key security.protocol"
                + " (this service reads only its callhook.* keys and kafka.* client properties)");
    }

    @Test
    void kafkaPassthroughFromFileAndEnvEnvWinning() throws IOException {
        Path file = write("kafka.security.protocol=SASL_SSL\nkafka.client.id=from-file\n");
        Map<String, String> env = env("CALLHOOK_KAFKA__CLIENT_ID", "from-env",
                "CALLHOOK_KAFKA__SASL_MECHANISM", "PLAIN");

        Config config = ConfigLoader.load(KEYS, new String[] {"--config", file.toString()}, env);

        assertThat(config.kafkaOverrides()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "client.id", "from-env", "sasl.mechanism", "PLAIN"));
    }

    @Test
    void malformedKafkaPassthroughNamesAreRefused() throws IOException {
        Path file = write("kafka.=x\nkafka.Security.Protocol=SSL\n");
        Map<String, String> env = env("CALLHOOK_KAFKA__", "x", "CALLHOOK_KAFKA__A__B", "y");

        ConfigException e = catchConfig(() -> ConfigLoader.load(KEYS, new String[] {"--config", file.toString()}, env));

        assertThat(e.problems()).hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("config file " + file + ": 'kafka.Security.Protocol' does not name"))
                .anySatisfy(p -> assertThat(p).startsWith("env CALLHOOK_KAFKA__A__B does not name a Kafka client property"));
    }

    @Test
    void undeclaredEnvVarsAreNotRead() {
        Config config = ConfigLoader.load(KEYS, new String[0], env("CALLHOOK_UNKNOWN_KEY", "abc", "HOME", "/root"));
        assertThat(config.asMap()).doesNotContainKey("callhook.unknown.key");
    }

    @Test
    void envVarOneLetterOffADeclaredKeyIsWarnedAbout() {
        try (LogCapture log = new LogCapture(ConfigLoader.class)) {
            ConfigLoader.load(KEYS, new String[0], env("CALLHOOK_HTTP_PROT", "1"));
            assertThat(log.lines()).contains(
                    "WARN env CALLHOOK_HTTP_PROT is not read by this service; did you mean CALLHOOK_HTTP_PORT?");
        }
    }

    @Test
    void missingFileIsAProblemListedWithTheOthers() {
        String missing = dir.resolve("nope.properties").toString();
        assertProblems(() -> ConfigLoader.load(KEYS, new String[] {"--config", missing}, env("CALLHOOK_HTTP_PORT", "x")),
                "config file " + missing + " does not exist",
                "callhook.http.port = 'x' (from env CALLHOOK_HTTP_PORT) is not an integer between 1 and 65535");
    }

    @Test
    void configArgumentWithoutAPathIsAProblem() {
        assertProblems(() -> ConfigLoader.load(KEYS, new String[] {"--config"}, MINIMAL_ENV),
                "--config needs a file path after it");
    }

    @Test
    void fileThatIsNotUtf8IsAProblem() throws IOException {
        Path file = dir.resolve("latin1.properties");
        Files.write(file, "callhook.topic.call-events=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertProblems(() -> load(file), "config file " + file + " is not valid UTF-8");
    }

    @Test
    void secretsAreMaskedInMapStringLogAndErrors() throws IOException {
        Map<String, String> env = env("CALLHOOK_SIGNING_SECRET", "whsec_live_1234",
                "CALLHOOK_KAFKA__SASL_JAAS_CONFIG", "PlainLoginModule required password=\"p4ss\";",
                "CALLHOOK_KAFKA__SSL_KEYSTORE_PASSWORD", "k3y");
        try (LogCapture log = new LogCapture(ConfigLoader.class)) {
            Config config = ConfigLoader.load(KEYS, new String[0], env);

            assertThat(config.get(SIGNING_SECRET)).isEqualTo("whsec_live_1234");
            assertThat(config.kafkaOverrides()).containsEntry("sasl.jaas.config",
                    "PlainLoginModule required password=\"p4ss\";");
            assertThat(config.asMap()).containsEntry("callhook.signing.secret", "******")
                    .containsEntry("kafka.sasl.jaas.config", "******")
                    .containsEntry("kafka.ssl.keystore.password", "******");
            assertThat(config.toString()).doesNotContain("whsec_live", "p4ss", "k3y");
            assertThat(String.join("\n", log.lines())).doesNotContain("whsec_live", "p4ss", "k3y")
                    .contains("callhook.signing.secret = ****** (env CALLHOOK_SIGNING_SECRET)");
        }
        ConfigKey<Integer> secretNumber = ConfigKey.intRange("callhook.pin", "A secret number.", 0, 9).secret();
        ConfigException e = catchConfig(() -> ConfigLoader.load(List.of(secretNumber), new String[0],
                env("CALLHOOK_PIN", "1234")));
        assertThat(e.getMessage()).doesNotContain("1234")
                .contains("callhook.pin = '******' (from env CALLHOOK_PIN) is not an integer between 0 and 9");
    }

    @Test
    void effectiveConfigIsLoggedOneLinePerKeyWithItsOrigin() throws IOException {
        Path file = write("callhook.http.request-timeout=30s\nkafka.client.id=enricher\n");
        try (LogCapture log = new LogCapture(ConfigLoader.class)) {
            ConfigLoader.load(KEYS, new String[] {"--config", file.toString()}, MINIMAL_ENV);

            assertThat(log.lines()).hasSize(KEYS.size() + 2).contains(
                    "INFO config file " + file,
                    "INFO config callhook.http.port = 8080 (default)",
                    "INFO config callhook.http.request-timeout = 30s (file " + file + ")",
                    "INFO config callhook.kafka.bootstrap-servers = 127.0.0.1:9092 (env CALLHOOK_KAFKA_BOOTSTRAP_SERVERS)",
                    "INFO config callhook.geo.database is not set (optional)",
                    "INFO config kafka.client.id = enricher (file " + file + ")");
        }
    }

    @Test
    void asMapHoldsEffectiveTextAndLeavesOutUnsetOptionalKeys() {
        Config config = ConfigLoader.load(KEYS, new String[0], env("CALLHOOK_HTTP_PORT", " 8443 "));
        assertThat(config.asMap()).containsEntry("callhook.http.port", "8443")
                .containsEntry("callhook.http.request-timeout", "10s")
                .doesNotContainKey("callhook.geo.database");
    }

    @Test
    void optionalKeyReadWithGetFailsClearly() {
        Config config = ConfigLoader.load(KEYS, new String[0], MINIMAL_ENV);
        assertThatThrownBy(() -> config.get(GEO_DB)).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("callhook.geo.database is optional and not set");
        Config withDb = ConfigLoader.load(KEYS, new String[0], env("CALLHOOK_GEO_DATABASE", "/geo/City.mmdb"));
        assertThat(withDb.get(GEO_DB)).isEqualTo(Path.of("/geo/City.mmdb"));
    }

    @Test
    void keysNotLoadedAreRefused() {
        Config config = ConfigLoader.load(KEYS, new String[0], MINIMAL_ENV);
        ConfigKey<String> other = ConfigKey.string("callhook.other", "Other.");
        ConfigKey<Integer> sameNameOtherObject = ConfigKey.intRange("callhook.http.port", "Other.", 1, 2);

        assertThatThrownBy(() -> config.get(other)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.get(sameNameOtherObject)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a different ConfigKey object");
    }

    @Test
    void keysSharingANameOrAnEnvVarAreABug() {
        ConfigKey<String> dotted = ConfigKey.string("callhook.a.b", "A.");
        ConfigKey<String> dashed = ConfigKey.string("callhook.a-b", "B.");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(dotted, dashed), new String[0], Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both map to env CALLHOOK_A_B");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(dotted, ConfigKey.string("callhook.a.b", "C.")),
                new String[0], Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(ConfigLoader.load(List.of(dotted, dotted), new String[0], env("CALLHOOK_A_B", "x")).get(dotted))
                .as("the same key listed twice is harmless").isEqualTo("x");
    }

    private Config load(Path file) {
        return ConfigLoader.load(KEYS, new String[] {"--config", file.toString()}, MINIMAL_ENV);
    }

    private Path write(String properties) throws IOException {
        return Files.writeString(dir.resolve("callhook.properties"), properties, StandardCharsets.UTF_8);
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(MINIMAL_ENV);
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static ConfigException catchConfig(ThrowingCallable load) {
        return (ConfigException) catchThrowable(load);
    }

    private static void assertProblems(ThrowingCallable load, String... expected) {
        ConfigException e = catchConfig(load);
        assertThat(e).as("a ConfigException").isNotNull();
        assertThat(e.problems()).containsExactlyInAnyOrder(expected);
        assertThat(e.getMessage()).startsWith("Invalid configuration (" + expected.length + " problem");
        for (String problem : expected) {
            assertThat(e.getMessage()).contains("  - " + problem);
        }
    }
}
