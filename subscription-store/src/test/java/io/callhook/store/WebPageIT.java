package io.callhook.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.app.DispatcherApp;
import io.callhook.dispatcher.app.DispatcherConfig;
import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.http.SenderConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.enricher.app.EnricherApp;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.geo.GeoLookups;
import io.callhook.model.DeadLetter;
import io.callhook.model.Product;
import io.callhook.model.Subscription;
import io.callhook.net.AddressPolicy;
import io.callhook.serde.RegistryConfig;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.service.kafka.TopicLayout;
import io.callhook.store.app.StoreApp;
import io.callhook.store.browser.HeadlessChromium;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testkit.ScratchDirs;
import io.callhook.testkit.TopicTail;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The customer's path, in real headless Chromium against the whole pipeline (enricher,
 * dispatcher and store on the real broker and registry): add a subscription pointing at a
 * local receiver, press "send test webhook", and watch two webhooks arrive and the Sent counter
 * reach 2 without reloading. Also: a subscription record another producer writes with a
 * malformed URL is dead-lettered by the pipeline and ignored by the page's store.
 */
@RealInfra
class WebPageIT {

    private static final long ACCOUNT = 300;

    @Test
    void addASubscriptionSendATestWebhookAndWatchTheSentCounter(Infra infra) throws Exception {
        StoreHarness harness = new StoreHarness(infra, "web.");
        KafkaSettings kafka = new KafkaSettings(infra.bootstrapServers(), new RegistryConfig(infra.registryBaseUrl(), true),
                harness.names, new TopicLayout(true, 3, (short) -1), Map.of());
        AddressPolicy loopback = AddressPolicy.allowing("127.0.0.0/8");
        Vertx receivers = Vertx.vertx();
        List<String> webhookIds = new CopyOnWriteArrayList<>();
        HttpServer receiver = receivers.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            webhookIds.add(request.getHeader("webhook-id"));
            request.response().setStatusCode(200).end("ok");
        })).listen(0, "127.0.0.1").await();
        try (EnricherApp enricher = EnricherApp.start(new EnricherConfig(kafka, "web-enricher", 1,
                     Optional.of(ScratchDirs.create("web-enricher")), Duration.ofMillis(100), Optional.empty(), "127.0.0.1", 0),
                     GeoLookups.open(Optional.empty()), AllowedAddresses.urlCheck(loopback), new SimpleMeterRegistry());
             DispatcherApp dispatcher = DispatcherApp.start(new DispatcherConfig(kafka, "web-dispatcher", SenderConfig.defaults(),
                     EngineConfig.DEFAULTS, RetrySchedule.DEFAULT, "127.0.0.1", 0), loopback, harness.vertx, new SimpleMeterRegistry());
             StoreApp store = harness.start("web-store", loopback);
             TopicTail<String, DeadLetter> deadLetters = new TopicTail<>(infra.bootstrapServers(), harness.names.deadLetters(),
                     new StringDeserializer(), harness.topics.deadLetters().valueSerde().deserializer());
             HeadlessChromium chromium = HeadlessChromium.start()) {
            WebDriver page = chromium.driver();
            page.get("http://127.0.0.1:" + store.port() + "/");
            type(page, "token", StoreHarness.accountToken(ACCOUNT));
            page.findElement(testId("save-token")).click();

            String url = "http://127.0.0.1:" + receiver.actualPort() + "/hooks/crm";
            type(page, "new-url", url);
            new Select(page.findElement(testId("new-product"))).selectByValue("CALLKEEPER");
            page.findElement(testId("add")).click();
            WebElement row = chromium.await(Duration.ofSeconds(20))
                    .until(driver -> driver.findElements(testId("subscription-row")).stream()
                            .filter(r -> r.findElement(testId("url")).getText().equals(url)).findFirst().orElse(null));
            String subscriptionId = row.getAttribute("data-id");
            assertThat(subscriptionId).startsWith("sub_");

            row.findElement(testId("send-test")).click();

            chromium.await(Duration.ofSeconds(60)).until(driver -> webhookIds.size() >= 2);
            chromium.await(Duration.ofSeconds(60)).until(driver -> driver.findElements(testId("subscription-row")).stream()
                    .filter(r -> subscriptionId.equals(r.getAttribute("data-id")))
                    .anyMatch(r -> r.findElement(testId("sent")).getText().equals("2")));
            assertThat(webhookIds).hasSize(2).doesNotHaveDuplicates().allMatch(id -> id.startsWith("msg_"));
            assertThat(chromium.consoleSinceLastCall()).noneMatch(line -> line.contains("SEVERE"));

            // Another producer writes a subscription the rules refuse: the pipeline dead-letters it, the store ignores it.
            Subscription invalid = Subscription.newBuilder().setId("sub_bad_from_producer").setAccountId(ACCOUNT)
                    .setProduct(Product.CALLKEEPER).setUrl("ftp://files.example.com/").setCreatedAt(Instant.now())
                    .setUpdatedAt(Instant.now()).build();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(harness.names.subscriptions(), invalid.getId(), harness.topics.subscriptions()
                        .valueSerde().serializer().serialize(harness.names.subscriptions(), invalid))).get();
            }
            DeadLetter letter = deadLetters.awaitUntil(read -> read.stream().anyMatch(r -> "INVALID_RECORD".equals(r.value().getReasonCode())),
                    Duration.ofSeconds(30)).stream().map(r -> r.value()).filter(d -> "INVALID_RECORD".equals(d.getReasonCode()))
                    .findFirst().orElseThrow();
            assertThat(letter.getReason()).contains("url: must be an absolute http or https URL");
            assertThat(letter.getSource().getTopic()).isEqualTo(harness.names.subscriptions());
            Thread.sleep(2500);
            assertThat(page.findElements(testId("subscription-row"))).hasSize(1);
            assertThat(store.readiness().isUp()).isTrue();
        } finally {
            receiver.close().await();
            receivers.close().await();
            harness.close();
        }
    }

    private static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    private static void type(WebDriver page, String testId, String text) {
        WebElement field = page.findElement(testId(testId));
        field.clear();
        field.sendKeys(text);
    }
}
