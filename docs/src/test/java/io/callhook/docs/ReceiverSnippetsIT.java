package io.callhook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.body.BodyOptions;
import io.callhook.body.EnrichedCall;
import io.callhook.body.Geo;
import io.callhook.body.RenderedWebhook;
import io.callhook.body.SampleCalls;
import io.callhook.body.Validated;
import io.callhook.body.WebhookBodyRenderer;
import io.callhook.dispatcher.app.DispatcherApp;
import io.callhook.dispatcher.signing.SignatureHeaders;
import io.callhook.dispatcher.signing.SigningResult;
import io.callhook.dispatcher.signing.WebhookSigner;
import io.callhook.model.BodyFormat;
import io.callhook.model.CallEvent;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.SigningSecret;
import io.callhook.model.Subscription;
import io.callhook.model.Utm;
import io.callhook.model.VisitSnapshot;
import io.callhook.model.WebhookRequest;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.RegistryConfig;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.topic.TopicNames;
import io.callhook.topic.Topics;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.tools.ToolProvider;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The receiver guide's signature checks, the very files the guide shows, in Node
 * ({@code standardwebhooks}), Python (standard library), PHP and Java (the JDK), each run by its
 * own runtime on webhooks that the real dispatcher signed and sent to a loopback receiver: a
 * JSON body, a form body signed with two secrets while one is rotated (either secret verifies),
 * and a GET whose signature covers the raw query string. Forgeries are refused: a changed body
 * or query, another secret, and a stale timestamp signed by the real signer.
 */
@RealInfra
class ReceiverSnippetsIT {

    private static final long ACCOUNT = 4343;
    private static final String JSON_SECRET = Webhooks.newSecret();
    private static final String NEW_SECRET = Webhooks.newSecret();
    private static final String OLD_SECRET = Webhooks.newSecret();
    private static final String GET_SECRET = Webhooks.newSecret();
    private static final AtomicInteger CASES = new AtomicInteger();

    private static Path work;
    private static Path javaClasses;
    private static CapturingReceiver.Captured json;
    private static CapturingReceiver.Captured rotating;
    private static CapturingReceiver.Captured get;

    /** Each language: its driver (test code) running the guide's snippet file on a captured webhook. */
    enum Language {
        NODE("examples/receivers/node/verify.js"),
        PYTHON("examples/receivers/python/verify.py"),
        PHP("examples/receivers/php/verify.php"),
        JAVA("examples/receivers/java/WebhookVerifier.java");

        final String snippet;

        Language(String snippet) {
            this.snippet = snippet;
        }

        List<String> command(Path webhook, String secret) {
            String drivers = "docs/src/test/resources/drivers/";
            return switch (this) {
                case NODE -> List.of("node", drivers + "check.js", snippet, webhook.toString(), secret);
                case PYTHON -> List.of("python3", drivers + "check.py", snippet, webhook.toString(), secret);
                case PHP -> List.of("php", drivers + "check.php", snippet, webhook.toString(), secret);
                case JAVA -> List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", javaClasses.toString(), "CheckWebhook", webhook.toString(), secret);
            };
        }
    }

    @BeforeAll
    static void captureWebhooksTheDispatcherSigned(Infra infra) throws Exception {
        work = ScratchDirs.create("receiver-snippets");
        Processes.Result install = Processes.run(List.of("scripts/install-node-examples.sh"), Repo.ROOT,
                NodeProducerIT.npmCache(), Duration.ofMinutes(3));
        assertThat(install.exitCode()).as(install.output()).isZero();
        javaClasses = Files.createDirectories(work.resolve("java-classes"));
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", javaClasses.toString(),
                Repo.path(Language.JAVA.snippet).toString(), Repo.path("docs/src/test/resources/drivers/CheckWebhook.java").toString());
        assertThat(compiled).as("javac of the Java snippet and its driver").isZero();

        TopicNames names = TopicNames.DEFAULTS.withPrefix("receivers.");
        Map<String, String> env = InProcessServices.environment(infra.bootstrapServers(), infra.registryBaseUrl(), names);
        Topics topics = new Topics(names, new AvroSerdes(new RegistryConfig(infra.registryBaseUrl(), true)));
        Vertx vertx = Vertx.vertx();
        try (CapturingReceiver receiver = new CapturingReceiver();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            DispatcherApp dispatcher = InProcessServices.dispatcher(env, "receivers-dispatcher", vertx);
            try {
                List<Subscription> subscriptions = List.of(
                        Webhooks.subscription("rcv-json", ACCOUNT, Product.CALLKEEPER, receiver.url("/json"), JSON_SECRET).build(),
                        Webhooks.subscription("rcv-form", ACCOUNT, Product.CALLTRACKING, receiver.url("/form"), NEW_SECRET, OLD_SECRET)
                                .setFormat(BodyFormat.FORM).build(),
                        Webhooks.subscription("rcv-get", ACCOUNT, Product.CALLTRACKING, receiver.url("/get?account=42"), GET_SECRET)
                                .setMethod(HttpMethod.GET).build());
                for (Subscription subscription : subscriptions) {
                    producer.send(new ProducerRecord<>(names.subscriptions(), subscription.getId(), topics.subscriptions()
                            .valueSerde().serializer().serialize(names.subscriptions(), subscription))).get(10, TimeUnit.SECONDS);
                }
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> subscriptions.stream().allMatch(subscription -> dispatcher.knows(subscription.getId())));
                // Playing the enricher: each subscription's webhook of one call, rendered by the real renderer.
                for (Subscription subscription : subscriptions) {
                    WebhookRequest request = request(subscription);
                    producer.send(new ProducerRecord<>(names.outbound(), subscription.getId(),
                            topics.outbound().valueSerde().serializer().serialize(names.outbound(), request))).get(10, TimeUnit.SECONDS);
                }
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received("/json").isEmpty()
                        && !receiver.received("/form").isEmpty() && !receiver.received("/get").isEmpty());
                json = receiver.received("/json").get(0);
                rotating = receiver.received("/form").get(0);
                get = receiver.received("/get").get(0);
            } finally {
                dispatcher.close();
                vertx.close().await();
            }
        }
        assertThat(rotating.header("webhook-signature").split(" ")).as("one signature per active secret").hasSize(2);
        assertThat(get.rawQuery()).startsWith("account=42&id=");
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void verifiesRealWebhooksWithEverySecretInForce(Language language) throws Exception {
        assertValid(language, json, JSON_SECRET);
        assertValid(language, rotating, NEW_SECRET);
        assertValid(language, rotating, OLD_SECRET);
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void refusesAChangedBodyAnotherSecretAndAStaleTimestamp(Language language) throws Exception {
        byte[] changed = json.body().clone();
        changed[changed.length / 2] ^= 1;
        assertInvalid(language, json.withBody(changed), JSON_SECRET);
        assertInvalid(language, json, Webhooks.newSecret());
        assertInvalid(language, rotating, JSON_SECRET);
        // Signed by the real signer, ten minutes ago: the signature is right, the time is not.
        long stale = Instant.now().minusSeconds(600).getEpochSecond();
        SigningResult signed = new WebhookSigner().sign(json.header("webhook-id"), stale, json.body(),
                List.of(new SigningSecret(JSON_SECRET, Instant.now().minusSeconds(3600), null)));
        SignatureHeaders headers = ((SigningResult.Signed) signed).headers();
        assertInvalid(language, json.withHeader("webhook-timestamp", Long.toString(stale))
                .withHeader("webhook-signature", headers.signature()), JSON_SECRET);
    }

    @ParameterizedTest
    @EnumSource(Language.class)
    void verifiesGetWebhooksOverTheRawQueryString(Language language) throws Exception {
        assertThat(signsEmptyPayload(get, GET_SECRET)).as("a GET is signed over its raw query, not over an empty body").isFalse();
        assertValid(language, get, GET_SECRET);
        assertInvalid(language, get.withQuery(get.rawQuery().replace("account=42", "account=43")), GET_SECRET);
    }

    private static void assertValid(Language language, CapturingReceiver.Captured webhook, String secret) throws Exception {
        Processes.Result result = check(language, webhook, secret);
        assertThat(result.output().strip()).as("%s on %s", language, webhook.path()).isEqualTo("valid " + webhook.header("webhook-id"));
        assertThat(result.exitCode()).isZero();
    }

    private static void assertInvalid(Language language, CapturingReceiver.Captured webhook, String secret) throws Exception {
        Processes.Result result = check(language, webhook, secret);
        assertThat(result.output()).as("%s on a forged %s", language, webhook.path()).startsWith("invalid: ");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    private static Processes.Result check(Language language, CapturingReceiver.Captured webhook, String secret) throws Exception {
        Path dir = webhook.writeTo(work.resolve("case-" + CASES.incrementAndGet()));
        return Processes.run(language.command(dir, secret), Repo.ROOT, Map.of(), Duration.ofSeconds(60));
    }

    /** Whether the request is signed over {@code id.timestamp.} alone: GET signing as it was before the query counted. */
    private static boolean signsEmptyPayload(CapturingReceiver.Captured request, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] expected = mac.doFinal((request.header("webhook-id") + "." + request.header("webhook-timestamp") + ".")
                .getBytes(StandardCharsets.UTF_8));
        return List.of(request.header("webhook-signature").split(" ")).contains("v1," + Base64.getEncoder().encodeToString(expected));
    }

    private static WebhookRequest request(Subscription subscription) {
        Instant now = Instant.now();
        CallEvent call = SampleCalls.endedCall().setEventId("rcv-" + subscription.getId()).setAccountId(ACCOUNT)
                .setProduct(subscription.getProduct()).setOccurredAt(now).setCallDate(now).build();
        VisitSnapshot visit = VisitSnapshot.newBuilder().setVisitorId("v-1").setUpdatedAt(now)
                .setCurrent(Utm.newBuilder().setUtmSource("yandex").setUtmTerm("купить диван").build())
                .setUserAgent("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0").build();
        BodyOptions options = ((Validated.Valid<BodyOptions>) BodyOptions.validate(subscription)).value();
        RenderedWebhook rendered = WebhookBodyRenderer.render(new EnrichedCall(call, visit,
                new Geo("RU", "Свердловская область", "Екатеринбург", "Уральский федеральный округ")), options, subscription.getUrl());
        return WebhookRequest.newBuilder().setWebhookId("msg_" + subscription.getId() + "_" + now.toEpochMilli())
                .setSubscriptionId(subscription.getId()).setAccountId(ACCOUNT).setProduct(subscription.getProduct())
                .setCallId(call.getCallId()).setPhase(call.getPhase()).setUrl(rendered.url()).setMethod(options.method())
                .setContentType(rendered.contentType()).setHeaders(Map.of()).setBody(ByteBuffer.wrap(rendered.body()))
                .setEventTime(now).setCreatedAt(now).setAttempts(new ArrayList<>()).build();
    }
}
