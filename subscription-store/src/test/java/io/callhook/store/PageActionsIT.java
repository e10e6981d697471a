package io.callhook.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.dispatcher.app.DispatcherApp;
import io.callhook.dispatcher.app.DispatcherConfig;
import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.http.SenderConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.enricher.app.EnricherApp;
import io.callhook.enricher.app.EnricherConfig;
import io.callhook.enricher.geo.GeoLookups;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Each action of the subscription page, pressed in real headless Chromium against the whole
 * pipeline (enricher, dispatcher and store on the real broker and registry) and checked where it
 * lands: in the store's API, and in the webhooks a receiver on loopback gets. Edit, disable and
 * enable, rotate the secret with a grace period (the next webhook carries two signatures, one
 * verifying with the old secret and one with the new), and replay dead letters.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageActionsIT {

    private static final long ACCOUNT = 310;
    private static final String TOKEN = StoreHarness.accountToken(ACCOUNT);
    private static final Duration PIPELINE = Duration.ofSeconds(60);

    /** One webhook as the receiver got it. */
    private record Received(String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private StoreHarness harness;
    private Vertx receivers;
    private HttpServer receiver;
    private EnricherApp enricher;
    private DispatcherApp dispatcher;
    private StoreApp store;
    private HeadlessChromium chromium;
    private WebDriver page;

    @RegisterExtension
    final AfterTestExecutionCallback browserCheck = HeadlessChromium.checkEachTest(() -> chromium);

    @BeforeAll
    void start(Infra infra) throws Exception {
        harness = new StoreHarness(infra, "page.");
        KafkaSettings kafka = new KafkaSettings(infra.bootstrapServers(), new RegistryConfig(infra.registryBaseUrl(), true),
                harness.names, new TopicLayout(true, 3, (short) -1), Map.of());
        AddressPolicy loopback = AddressPolicy.allowing("127.0.0.0/8");
        receivers = Vertx.vertx();
        receiver = receivers.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Map<String, String> headers = new HashMap<>();
            request.headers().forEach(header -> headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
            received.add(new Received(request.path(), headers, body.getBytes()));
            request.response().setStatusCode(200).end("ok");
        })).listen(0, "127.0.0.1").await();
        enricher = EnricherApp.start(new EnricherConfig(kafka, "page-enricher", 1, Optional.of(ScratchDirs.create("page-enricher")),
                Duration.ofMillis(100), Optional.empty(), "127.0.0.1", 0), GeoLookups.open(Optional.empty()),
                AllowedAddresses.urlCheck(loopback), new SimpleMeterRegistry());
        dispatcher = DispatcherApp.start(new DispatcherConfig(kafka, "page-dispatcher", SenderConfig.defaults(), EngineConfig.DEFAULTS,
                RetrySchedule.DEFAULT, "127.0.0.1", 0), loopback, harness.vertx, new SimpleMeterRegistry());
        store = harness.start("page-store", loopback);
        chromium = HeadlessChromium.start();
        page = chromium.driver();
        page.get("http://127.0.0.1:" + store.port() + "/");
        type(page.findElement(testId("token")), TOKEN);
        page.findElement(testId("save-token")).click();
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {chromium, store, dispatcher, enricher}) {
            if (part != null) {
                part.close();
            }
        }
        if (receiver != null) {
            receiver.close().await();
            receivers.close().await();
        }
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void editingEveryCalltrackingFieldIsSavedAndTheNextWebhookFollowsIt() throws Exception {
        JsonNode created = create("{\"accountId\": " + ACCOUNT + ", \"product\": \"CALLTRACKING\", \"url\": \"" + url("/edit-before")
                + "\", \"events\": [\"ENDED\"]}");
        WebElement row = row(created.get("id").asText());
        row.findElement(testId("edit")).click();
        WebElement form = row.findElement(testId("edit-form"));
        // The store's problems come in the page's language.
        type(form.findElement(testId("edit-url")), "ftp://files.example.com/hooks");
        form.findElement(testId("edit-save")).click();
        WebElement problems = chromium.await(PIPELINE).until(d -> {
            WebElement list = form.findElement(testId("edit-errors"));
            return list.isDisplayed() ? list : null;
        });
        assertThat(problems.getText()).contains("url: нужен абсолютный URL http или https");

        type(form.findElement(testId("edit-url")), url("/edit-after"));
        new Select(form.findElement(testId("edit-events"))).selectByValue("BOTH");
        new Select(form.findElement(testId("edit-content-type"))).selectByValue("application/x-www-form-urlencoded");
        new Select(form.findElement(testId("edit-method"))).selectByValue("PUT");
        type(form.findElement(testId("edit-renames")), "phone2=client_phone");
        type(form.findElement(testId("edit-params")), "crm_source=callhook");
        type(form.findElement(testId("edit-headers")), "X-Crm-Key=page-edit");
        type(form.findElement(testId("edit-rate-limit")), "5");
        form.findElement(testId("edit-save")).click();

        chromium.await(PIPELINE).until(d -> row.findElement(testId("row-message")).getText().startsWith("Сохранено"));
        JsonNode saved = get(created.get("id").asText());
        assertThat(saved.get("url").asText()).isEqualTo(url("/edit-after"));
        assertThat(saved.get("events")).extracting(JsonNode::asText).containsExactly("STARTED", "ENDED");
        assertThat(saved.get("contentType").asText()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(saved.get("method").asText()).isEqualTo("PUT");
        assertThat(saved.get("renames").get("phone2").asText()).isEqualTo("client_phone");
        assertThat(saved.get("params").get("crm_source").asText()).isEqualTo("callhook");
        assertThat(saved.get("headers").get("X-Crm-Key").asText()).isEqualTo("page-edit");
        assertThat(saved.get("rateLimit").asInt()).isEqualTo(5);
        assertThat(row.findElements(testId("edit-form"))).as("the form closes once saved").isEmpty();

        // The test webhook goes where the subscription now points, as it now says.
        row.findElement(testId("send-test")).click();
        List<Received> hooks = awaitReceived("/edit-after", 2);
        assertThat(received).noneMatch(hook -> hook.path().equals("/edit-before"));
        for (Received hook : hooks) {
            assertThat(hook.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
            assertThat(hook.header("X-Crm-Key")).isEqualTo("page-edit");
            String body = new String(hook.body(), StandardCharsets.UTF_8);
            assertThat(body).contains("crm_source=callhook").contains("client_phone=");
        }
    }

    @Test
    void disablingAndEnablingIsSavedAndShown() throws Exception {
        String id = callKeeper("/toggle").get("id").asText();
        WebElement row = row(id);
        WebElement toggle = row.findElement(testId("toggle-enabled"));
        assertThat(toggle.getText()).isEqualTo("Отключить");

        toggle.click();
        awaitEnabled(row, false);
        assertThat(get(id).get("enabled").asBoolean()).isFalse();
        assertThat(row.findElement(testId("enabled")).getText()).startsWith("отключена");
        assertThat(toggle.getText()).isEqualTo("Включить");

        toggle.click();
        awaitEnabled(row, true);
        assertThat(get(id).get("enabled").asBoolean()).isTrue();
        assertThat(toggle.getText()).isEqualTo("Отключить");
    }

    @Test
    void aRotatedSecretSignsWithTheOldOneDuringTheGracePeriod() throws Exception {
        JsonNode created = callKeeper("/rotate");
        String id = created.get("id").asText();
        String oldSecret = created.get("secret").asText();
        WebElement row = row(id);
        row.findElement(testId("rotate")).click();
        new Select(row.findElement(testId("rotate-grace"))).selectByValue("3600");
        row.findElement(testId("rotate-confirm")).click();

        WebElement shown = chromium.await(PIPELINE).until(d -> {
            WebElement secret = row.findElement(testId("secret"));
            return secret.getText().startsWith("whsec_") && !secret.getText().equals(oldSecret) ? secret : null;
        });
        String newSecret = shown.getText();
        assertThat(get(id).get("previousSecretExpiresAt").isNull()).as("the old secret has an end").isFalse();
        assertThat(row.findElement(testId("secret-note")).getText()).contains("Прежний секрет действует до");

        row.findElement(testId("send-test")).click();
        for (Received hook : awaitReceived("/rotate", 2)) {
            assertThat(verifies(hook, oldSecret)).as("a signature with the old secret, within its grace period").isTrue();
            assertThat(verifies(hook, newSecret)).as("a signature with the new secret").isTrue();
        }
        assertThat(verifies(received.get(0), "whsec_" + Base64.getEncoder().encodeToString(new byte[32])))
                .as("the check refuses another secret").isFalse();
    }

    @Test
    void deadLettersOfADisabledSubscriptionAreListedAndReplayedOnceEnabled() throws Exception {
        String id = callKeeper("/replay").get("id").asText();
        WebElement row = row(id);
        WebElement toggle = row.findElement(testId("toggle-enabled"));

        toggle.click();
        awaitEnabled(row, false);

        // A test call to a disabled subscription is kept as dead letters, one per event.
        row.findElement(testId("send-test")).click();
        row.findElement(testId("show-dead-letters")).click();
        chromium.await(PIPELINE).until(d -> row.findElements(testId("dead-letter-row")).size() == 2);
        assertThat(row.findElements(testId("dead-letter-reason"))).extracting(WebElement::getText)
                .containsOnly("SUBSCRIPTION_DISABLED");
        assertThat(received).noneMatch(hook -> hook.path().equals("/replay"));

        toggle.click();
        awaitEnabled(row, true);
        row.findElement(testId("replay")).click();
        chromium.await(PIPELINE).until(d -> row.findElement(testId("row-message")).getText().contains("отправлено повторно: 2"));
        List<Received> replayed = awaitReceived("/replay", 2);
        assertThat(replayed).extracting(hook -> hook.header("webhook-id")).doesNotHaveDuplicates();

        // Pressed again, nothing is sent twice.
        row.findElement(testId("replay")).click();
        chromium.await(PIPELINE).until(d -> row.findElement(testId("row-message")).getText().contains("уже отправлялись раньше: 2"));
        Thread.sleep(1500);
        assertThat(received.stream().filter(hook -> hook.path().equals("/replay"))).hasSize(2);
    }

    @Test
    void anAttemptShowsTheRequestItSentAndIsSentAgainFromTheLog() throws Exception {
        String id = callKeeper("/resend").get("id").asText();
        WebElement row = row(id);
        row.findElement(testId("send-test")).click();
        List<Received> first = awaitReceived("/resend", 2);
        row.findElement(testId("show-attempts")).click();
        chromium.await(PIPELINE).until(d -> row.findElements(testId("attempt-show-request")).size() == 2);

        WebElement attempt = row.findElements(testId("attempt-row")).get(0);
        String attemptId = attempt.getDomAttribute("data-attempt-id");
        String webhookId = attemptId.substring(0, attemptId.indexOf('/'));
        Received original = first.stream().filter(hook -> hook.header("webhook-id").equals(webhookId)).findFirst().orElseThrow();
        attempt.findElement(testId("attempt-show-request")).click();
        WebElement request = chromium.await(PIPELINE).until(d -> row.findElements(testId("request-body")).stream().findFirst().orElse(null));
        assertThat(request.getText()).as("the body sent").isEqualTo(new String(original.body(), StandardCharsets.UTF_8));
        assertThat(row.findElement(testId("request-line")).getText()).isEqualTo("POST " + url("/resend"));
        assertThat(row.findElement(testId("request-headers")).getText()).contains("webhook-id: " + webhookId)
                .contains("Content-Type: application/json");
        assertThat(row.findElement(testId("response-excerpt")).getText()).as("next to the response").isEqualTo("ok");

        row.findElements(testId("attempt-row")).get(0).findElement(testId("attempt-resend")).click();
        chromium.await(PIPELINE).until(d -> row.findElement(testId("attempts-status")).getText().startsWith("Отправлен снова: " + webhookId));
        List<Received> all = awaitReceived("/resend", 3);
        Received again = all.get(2);
        assertThat(again.header("webhook-id")).as("the same webhook, so a receiver de-duplicates it").isEqualTo(webhookId);
        assertThat(again.body()).isEqualTo(original.body());
        String secret = harness.call(store, "GET", "/api/v1/subscriptions/" + id + "/secret", TOKEN, null).body().get("secret").asText();
        assertThat(verifies(again, secret)).as("signed anew").isTrue();
        chromium.await(PIPELINE).until(d -> row.findElements(testId("attempt-row")).stream()
                .anyMatch(r -> r.getDomAttribute("data-attempt-id").startsWith(webhookId + "/resend_")));
    }

    @Test
    void theAttemptLogPagesBeyondFiftyAndFiltersByOutcomeAndCall() throws Exception {
        String id = callKeeper("/paged").get("id").asText();
        java.time.Instant t0 = java.time.Instant.now().minusSeconds(600);
        for (int i = 0; i < 62; i++) {
            harness.publish(io.callhook.model.DeliveryAttempt.newBuilder().setAttemptId("msg_paged" + i + "/1")
                    .setWebhookId("msg_paged" + i).setSubscriptionId(id).setAccountId(ACCOUNT).setCallId(7000 + i % 2)
                    .setPhase(io.callhook.model.CallPhase.ENDED).setAttemptNumber(1).setStartedAt(t0.plusSeconds(i)).setLatencyMs(9)
                    .setOutcome(i % 4 == 0 ? io.callhook.model.AttemptOutcome.RETRYING : io.callhook.model.AttemptOutcome.DELIVERED)
                    .setHttpStatus(i % 4 == 0 ? 503 : 200).build());
        }
        WebElement row = row(id);
        row.findElement(testId("show-attempts")).click();
        chromium.await(PIPELINE).until(d -> row.findElements(testId("attempt-row")).size() == 50
                && !row.findElement(testId("attempts-older")).getDomProperty("disabled").equals("true"));
        assertThat(row.findElements(testId("attempt-row")).get(0).getDomAttribute("data-attempt-id")).isEqualTo("msg_paged61/1");
        assertThat(row.findElement(testId("attempts-newer")).getDomProperty("disabled")).isEqualTo("true");

        row.findElement(testId("attempts-older")).click();
        chromium.await(PIPELINE).until(d -> row.findElements(testId("attempt-row")).size() == 12);
        assertThat(row.findElement(testId("attempts-page")).getText()).isEqualTo("страница 2");
        assertThat(row.findElements(testId("attempt-row")).get(11).getDomAttribute("data-attempt-id")).isEqualTo("msg_paged0/1");
        assertThat(row.findElement(testId("attempts-older")).getDomProperty("disabled")).isEqualTo("true");
        row.findElement(testId("attempts-newer")).click();
        chromium.await(PIPELINE).until(d -> row.findElements(testId("attempt-row")).size() == 50);

        new Select(row.findElement(testId("attempts-outcome"))).selectByValue("RETRYING");
        type(row.findElement(testId("attempts-call")), "7000");
        row.findElement(testId("attempts-apply")).click();
        chromium.await(PIPELINE).until(d -> row.findElements(testId("attempt-row")).size() == 16);
        assertThat(row.findElements(testId("attempt-outcome"))).extracting(WebElement::getText).containsOnly("RETRYING");
        assertThat(row.findElements(testId("attempt-call"))).allSatisfy(cell -> assertThat(cell.getText()).startsWith("7000"));

        type(row.findElement(testId("attempts-call")), "seven");
        row.findElement(testId("attempts-apply")).click();
        chromium.await(PIPELINE).until(d -> row.findElement(testId("attempts-status")).getText().equals("id звонка — целое число"));
    }

    @Test
    void theLanguageSwitchTurnsTheWholePageEnglishAndBackAndIsRemembered() throws Exception {
        String id = callKeeper("/language").get("id").asText();
        row(id).findElement(testId("show-attempts")).click();
        row(id).findElement(testId("show-dead-letters")).click();
        WebElement button = page.findElement(testId("lang-switch"));
        assertThat(button.getText()).isEqualTo("English");
        try {
            button.click();
            WebElement row = chromium.await(PIPELINE).until(d -> {
                WebElement rebuilt = row(id);
                return rebuilt.findElement(testId("send-test")).getText().equals("Test webhook") ? rebuilt : null;
            });
            assertThat(page.findElement(By.cssSelector("html")).getDomAttribute("lang")).isEqualTo("en");
            assertThat(page.getTitle()).isEqualTo("Callhook — call webhooks");
            assertThat(row.findElement(testId("toggle-enabled")).getText()).isEqualTo("Disable");
            assertThat(row.findElement(testId("enabled")).getText()).isEqualTo("enabled");
            row.findElement(testId("show-attempts")).click();
            row.findElement(testId("rotate")).click();
            row.findElement(testId("edit")).click();
            assertThat(cyrillicLeft()).as("Russian left on the English page (the switch back to Russian aside)").isEmpty();

            page.navigate().refresh();
            assertThat(row(id).findElement(testId("send-test")).getText()).as("remembered across a reload").isEqualTo("Test webhook");
            assertThat(page.findElement(testId("lang-switch")).getText()).isEqualTo("Русский");
        } finally {
            page.findElement(testId("lang-switch")).click();
        }
        chromium.await(PIPELINE).until(d -> row(id).findElement(testId("send-test")).getText().equals("Тестовый вебхук"));
        assertThat(page.findElement(By.cssSelector("html")).getDomAttribute("lang")).isEqualTo("ru");
        assertThat(page.findElement(testId("lang-switch")).getText()).isEqualTo("English");
    }

    // ------------------------------------------------------------------ helpers

    /** Words in Cyrillic among the page's visible text, placeholders and titles, but for the button back to Russian. */
    private List<String> cyrillicLeft() {
        Object found = ((JavascriptExecutor) page).executeScript(
                "const texts = [document.body.innerText.replace('Русский', '')];"
                + "document.querySelectorAll('[placeholder], [title]').forEach(e => texts.push(e.getAttribute('placeholder') || '',"
                + " e.getAttribute('title') || ''));"
                + "return texts.join(' ').match(/[\\u0400-\\u04FF]+/g) || [];");
        return ((List<?>) found).stream().map(String::valueOf).toList();
    }

    private JsonNode create(String json) throws Exception {
        StoreHarness.Answer answer = harness.call(store, "POST", "/api/v1/subscriptions", TOKEN, json);
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.body();
    }

    private JsonNode callKeeper(String path) throws Exception {
        return create("{\"accountId\": " + ACCOUNT + ", \"product\": \"CALLKEEPER\", \"url\": \"" + url(path) + "\"}");
    }

    /** Until the row shows the subscription enabled or disabled. */
    private void awaitEnabled(WebElement row, boolean enabled) {
        chromium.await(PIPELINE).until(d -> row.findElement(testId("enabled")).getDomAttribute("data-value").equals(String.valueOf(enabled)));
    }

    private JsonNode get(String id) throws Exception {
        StoreHarness.Answer answer = harness.call(store, "GET", "/api/v1/subscriptions/" + id, TOKEN, null);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.body();
    }

    /** The subscription's row, once the page's own polling has listed it. */
    private WebElement row(String id) {
        return chromium.await(Duration.ofSeconds(20)).until(d -> d.findElements(By.cssSelector(
                "[data-testid='subscription-row'][data-id='" + id + "']")).stream().findFirst().orElse(null));
    }

    private List<Received> awaitReceived(String path, int count) {
        chromium.await(PIPELINE).until(d -> received.stream().filter(hook -> hook.path().equals(path)).count() >= count);
        return received.stream().filter(hook -> hook.path().equals(path)).toList();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.actualPort() + path;
    }

    /**
     * Standard Webhooks, written here from the specification: one of the {@code v1,} signatures is
     * the HMAC-SHA256 of {@code id.timestamp.body} with the secret's base64 bytes.
     */
    private static boolean verifies(Received hook, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((hook.header("webhook-id") + "." + hook.header("webhook-timestamp") + ".")
                .getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(hook.body());
        List<byte[]> given = new ArrayList<>();
        for (String signature : hook.header("webhook-signature").split(" ")) {
            if (signature.startsWith("v1,")) {
                given.add(Base64.getDecoder().decode(signature.substring(3)));
            }
        }
        return given.stream().anyMatch(candidate -> MessageDigest.isEqual(candidate, expected));
    }

    private static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    private static void type(WebElement field, String text) {
        field.clear();
        field.sendKeys(text);
    }
}
