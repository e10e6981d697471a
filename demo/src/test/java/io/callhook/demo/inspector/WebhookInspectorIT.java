package io.callhook.demo.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.testkit.SharedVertx;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The inspector on a real port, driven by a real HTTP client, as the dispatcher and a browser reach it. */
@ExtendWith(SharedVertx.class)
class WebhookInspectorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final Vertx vertx;
    private WebhookInspector inspector;
    private String base;

    WebhookInspectorIT(Vertx vertx) {
        this.vertx = vertx;
    }

    @BeforeEach
    void start() {
        startInspector(WebhookInspector.DEFAULT_CAPACITY);
    }

    @AfterEach
    void stop() throws Exception {
        inspector.close();
    }

    private void startInspector(int capacity) {
        inspector = new WebhookInspector(vertx, "127.0.0.1", 0, capacity, Clock.systemUTC());
        int port = inspector.start().await();
        base = "http://127.0.0.1:" + port;
    }

    @Test
    void recordsAnyMethodWithPathQueryHeadersAndBody() throws Exception {
        String json = "{\"id\":4503599627370000,\"hook_event\":\"Call is over\",\"city\":\"Москва\",\"product\":\"CALLKEEPER\"}";
        HttpResponse<String> posted = send(HttpRequest.newBuilder(uri("/hooks/crm/42?source=demo&x=%D0%B4"))
                .header("Content-Type", "application/json").header("X-Trace", "one")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        send(HttpRequest.newBuilder(uri("/hooks/put")).PUT(HttpRequest.BodyPublishers.ofString("plain text")));
        send(HttpRequest.newBuilder(uri("/hooks/patch")).method("PATCH", HttpRequest.BodyPublishers.ofString("[1,2]")));
        send(HttpRequest.newBuilder(uri("/hooks/gone")).DELETE());
        send(HttpRequest.newBuilder(uri("/hooks/get?id=7&hook_event=Call+is+processing")).GET());

        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo("ok");
        List<ReceivedWebhook> kept = inspector.webhooks(10, null);
        assertThat(kept).extracting(ReceivedWebhook::method).containsExactly("GET", "DELETE", "PATCH", "PUT", "POST");
        ReceivedWebhook post = kept.get(4);
        assertThat(post.path()).isEqualTo("/hooks/crm/42");
        assertThat(post.uri()).isEqualTo("/hooks/crm/42?source=demo&x=%D0%B4");
        assertThat(post.queryParams()).extracting(ReceivedWebhook.Pair::value).containsExactly("demo", "д");
        assertThat(post.body()).isEqualTo(json);
        assertThat(post.size()).isEqualTo(json.getBytes(StandardCharsets.UTF_8).length);
        assertThat(post.header("x-trace")).isEqualTo("one");
        assertThat(post.contentType()).isEqualTo("application/json");
        assertThat(post.form()).isNull();
        assertThat(post.summary()).isEqualTo(new ReceivedWebhook.Summary("CALLKEEPER", "Call is over", "4503599627370000"));
        assertThat(post.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(kept.get(3).body()).isEqualTo("plain text");
        assertThat(kept.get(1).size()).isZero();
        // A GET webhook carries its data in the query string.
        assertThat(kept.get(0).summary()).isEqualTo(new ReceivedWebhook.Summary(null, "Call is processing", "7"));
        assertThat(inspector.received()).isEqualTo(5);
    }

    @Test
    void decodesFormBodies() throws Exception {
        String form = "id=123&hook_event=Call+is+over&visit_info%5Bcurrent%5D%5Butm_term%5D=%D0%BA%D1%83%D0%BF%D0%B8%D1%82%D1%8C+%D0%B4%D0%B8%D0%B2%D0%B0%D0%BD&ya_clientid=";
        send(HttpRequest.newBuilder(uri("/hooks/form")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));

        ReceivedWebhook received = inspector.webhooks(1, null).get(0);
        assertThat(received.body()).isEqualTo(form);
        assertThat(received.form()).containsExactly(
                new ReceivedWebhook.Pair("id", "123"),
                new ReceivedWebhook.Pair("hook_event", "Call is over"),
                new ReceivedWebhook.Pair("visit_info[current][utm_term]", "купить диван"),
                new ReceivedWebhook.Pair("ya_clientid", ""));
        assertThat(received.summary()).isEqualTo(new ReceivedWebhook.Summary(null, "Call is over", "123"));
    }

    @Test
    void signatureIsValidWhenSignedWithTheRegisteredSecret() throws Exception {
        String secret = newSecret();
        inspector.registerSecret("/hooks/signed", secret);
        String body = "{\"id\":1,\"hook_event\":\"Call is processing\"}";
        long now = Instant.now().getEpochSecond();

        sendSigned("/hooks/signed", "msg_1", now, body, sign(secret, "msg_1", now, body));

        ReceivedWebhook received = inspector.webhooks(1, null).get(0);
        assertThat(received.signature()).isEqualTo(SignatureCheck.valid());
        assertThat(received.webhookId()).isEqualTo("msg_1");
    }

    @Test
    void aGetIsCheckedOverItsRawQuery() throws Exception {
        String secret = newSecret();
        inspector.registerSecret("/hooks/get-signed", secret);
        String query = "account=42&id=1&phone2=%2B79990001122";
        long now = Instant.now().getEpochSecond();
        String signature = sign(secret, "msg_get", now, query);

        for (String sent : List.of(query, query.replace("%2B7999", "%2B7000"))) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/hooks/get-signed?" + sent)).GET()
                    .header("webhook-id", "msg_get").header("webhook-timestamp", Long.toString(now))
                    .header("webhook-signature", signature));
            assertThat(response.statusCode()).isEqualTo(200);
        }

        List<ReceivedWebhook> kept = inspector.webhooks(2, null);
        assertThat(kept.get(1).signature()).isEqualTo(SignatureCheck.valid());
        assertThat(kept.get(0).signature().status()).as("the query changed").isEqualTo(SignatureCheck.Status.INVALID);
    }

    @Test
    void signatureIsValidWithEitherSecretWhileOneIsRotated() throws Exception {
        String oldSecret = newSecret();
        String newSecret = newSecret();
        inspector.registerSecret("/hooks/rotating", oldSecret);
        inspector.registerSecret("/hooks/rotating", newSecret);
        long now = Instant.now().getEpochSecond();

        sendSigned("/hooks/rotating", "msg_2", now, "{}", sign(newSecret, "msg_2", now, "{}"));

        assertThat(inspector.webhooks(1, null).get(0).signature().status()).isEqualTo(SignatureCheck.Status.VALID);
    }

    @Test
    void signatureIsInvalidWhenTheBodyWasChangedOrTheTimestampIsOld() throws Exception {
        String secret = newSecret();
        inspector.registerSecret("/hooks/signed", secret);
        long now = Instant.now().getEpochSecond();
        String signature = sign(secret, "msg_3", now, "{\"id\":1}");

        sendSigned("/hooks/signed", "msg_3", now, "{\"id\":2}", signature);
        long old = now - 600;
        sendSigned("/hooks/signed", "msg_4", old, "{\"id\":1}", sign(secret, "msg_4", old, "{\"id\":1}"));
        send(HttpRequest.newBuilder(uri("/hooks/signed")).POST(HttpRequest.BodyPublishers.ofString("{}")));

        List<ReceivedWebhook> kept = inspector.webhooks(3, null);
        assertThat(kept.get(2).signature().status()).isEqualTo(SignatureCheck.Status.INVALID);
        assertThat(kept.get(2).signature().reason()).startsWith("no v1 signature matches");
        assertThat(kept.get(1).signature().reason()).matches("webhook-timestamp is 6\\d\\d s in the past \\(tolerance 300 s\\)");
        assertThat(kept.get(0).signature().reason()).isEqualTo("no webhook-id header");
    }

    @Test
    void secretsOfSubscriptionsMadeElsewhereAreLookedUpOnceAndCheck() throws Exception {
        inspector.close();
        String secret = newSecret();
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        inspector = new WebhookInspector(vertx, "127.0.0.1", 0, 100, Clock.systemUTC(), path -> {
            lookups.incrementAndGet();
            return path.equals("/hooks/made-in-the-page") ? List.of(secret) : List.of();
        });
        base = "http://127.0.0.1:" + inspector.start().await();
        long now = Instant.now().getEpochSecond();

        sendSigned("/hooks/made-in-the-page", "msg_p1", now, "{\"id\":1}", sign(secret, "msg_p1", now, "{\"id\":1}"));
        sendSigned("/hooks/made-in-the-page", "msg_p2", now, "{\"id\":2}", sign(secret, "msg_p2", now, "{\"id\":2}"));
        sendSigned("/hooks/nobodys", "msg_p3", now, "{}", sign(secret, "msg_p3", now, "{}"));
        sendSigned("/hooks/nobodys", "msg_p4", now, "{}", sign(secret, "msg_p4", now, "{}"));

        assertThat(inspector.webhooks(10, "/hooks/made-in-the-page")).extracting(ReceivedWebhook::signature)
                .containsOnly(SignatureCheck.valid());
        assertThat(inspector.webhooks(10, "/hooks/nobodys")).extracting(ReceivedWebhook::signature)
                .containsOnly(SignatureCheck.noSecret());
        assertThat(lookups).as("one lookup per path: found once, and not found is asked again only later").hasValue(2);
    }

    @Test
    void signatureIsNotCheckedWithoutASecretForThePath() throws Exception {
        String secret = newSecret();
        inspector.registerSecret("/hooks/other", secret);
        long now = Instant.now().getEpochSecond();

        sendSigned("/hooks/unregistered", "msg_5", now, "{}", sign(secret, "msg_5", now, "{}"));
        inspector.forgetSecrets("/hooks/other");
        sendSigned("/hooks/other", "msg_6", now, "{}", "v1,bm90IGEgc2lnbmF0dXJl");

        assertThat(inspector.webhooks(2, null)).extracting(ReceivedWebhook::signature)
                .containsOnly(SignatureCheck.noSecret());
    }

    @Test
    void refusesSecretsAndPathsItCannotUse() {
        assertThatThrownBy(() -> inspector.registerSecret("/elsewhere", newSecret())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inspector.registerSecret("/hooks/a?b=c", newSecret())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inspector.registerSecret("/hooks/a", "not-a-secret")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inspector.respondWith("/hooks/a", 99, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inspector.respondWith("/hooks/a", 503, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inspector.respondAfter("/hooks/a", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inspector.respondAfter("/hooks/a", Duration.ofMinutes(6)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsOnlyTheLatestRequests() throws Exception {
        inspector.close();
        startInspector(5);
        for (int i = 1; i <= 8; i++) {
            send(HttpRequest.newBuilder(uri("/hooks/ring")).POST(HttpRequest.BodyPublishers.ofString("#" + i)));
        }

        JsonNode list = getJson("/api/webhooks?limit=5");
        assertThat(list.get("received").asLong()).isEqualTo(8);
        assertThat(list.get("kept").asInt()).isEqualTo(5);
        assertThat(list.get("capacity").asInt()).isEqualTo(5);
        List<String> bodies = new ArrayList<>();
        list.get("webhooks").forEach(webhook -> bodies.add(webhook.get("body").asText()));
        assertThat(bodies).containsExactly("#8", "#7", "#6", "#5", "#4");
        assertThat(get("/api/webhooks/3").statusCode()).isEqualTo(404);
        assertThat(getJson("/api/webhooks/4").get("body").asText()).isEqualTo("#4");
        assertThat(get("/api/webhooks?limit=6").statusCode()).isEqualTo(400);
    }

    @Test
    void listsAsJsonNewestFirstFilteredByPathAndClears() throws Exception {
        String secret = newSecret();
        inspector.registerSecret("/hooks/a", secret);
        long now = Instant.now().getEpochSecond();
        String body = "{\"id\":9,\"hook_event\":\"Call is over\"}";
        sendSigned("/hooks/a", "msg_a", now, body, sign(secret, "msg_a", now, body));
        send(HttpRequest.newBuilder(uri("/hooks/b?q=1")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("id=10")));

        JsonNode all = getJson("/api/webhooks");
        assertThat(all.get("webhooks")).hasSize(2);
        JsonNode form = all.get("webhooks").get(0);
        assertThat(form.get("n").asLong()).isEqualTo(2);
        assertThat(form.get("path").asText()).isEqualTo("/hooks/b");
        assertThat(form.get("query").asText()).isEqualTo("q=1");
        assertThat(form.get("uri").asText()).isEqualTo("/hooks/b?q=1");
        assertThat(form.get("form").get(0).get("name").asText()).isEqualTo("id");
        assertThat(form.get("form").get(0).get("value").asText()).isEqualTo("10");
        assertThat(form.get("queryParams").get(0).get("value").asText()).isEqualTo("1");
        assertThat(form.get("signature").get("status").asText()).isEqualTo("NO_SECRET");
        assertThat(form.get("webhookId").isNull()).isTrue();

        JsonNode signed = getJson("/api/webhooks?path=/hooks/a").get("webhooks");
        assertThat(signed).hasSize(1);
        JsonNode one = signed.get(0);
        assertThat(fieldNames(one)).containsExactly("n", "receivedAt", "method", "path", "query", "uri", "remoteAddress",
                "headers", "contentType", "size", "body", "bodyTruncated", "form", "queryParams", "webhookId", "signature",
                "summary", "responseStatus");
        assertThat(Instant.parse(one.get("receivedAt").asText())).isBetween(Instant.now().minusSeconds(30), Instant.now());
        assertThat(one.get("method").asText()).isEqualTo("POST");
        assertThat(one.get("query").isNull()).isTrue();
        assertThat(one.get("form").isNull()).isTrue();
        assertThat(one.get("size").asInt()).isEqualTo(body.length());
        assertThat(one.get("body").asText()).isEqualTo(body);
        assertThat(one.get("bodyTruncated").asBoolean()).isFalse();
        assertThat(one.get("webhookId").asText()).isEqualTo("msg_a");
        assertThat(one.get("signature").get("status").asText()).isEqualTo("VALID");
        assertThat(one.get("signature").get("reason").isNull()).isTrue();
        assertThat(one.get("summary").get("hookEvent").asText()).isEqualTo("Call is over");
        assertThat(one.get("summary").get("id").asText()).isEqualTo("9");
        assertThat(one.get("summary").get("product").isNull()).isTrue();
        assertThat(one.get("responseStatus").asInt()).isEqualTo(200);
        List<String> headerNames = new ArrayList<>();
        one.get("headers").forEach(header -> headerNames.add(header.get("name").asText().toLowerCase()));
        assertThat(headerNames).contains("webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(getJson("/api/webhooks/1").get("webhookId").asText()).isEqualTo("msg_a");

        HttpResponse<String> cleared = send(HttpRequest.newBuilder(uri("/api/webhooks")).DELETE());
        assertThat(JSON.readTree(cleared.body()).get("cleared").asInt()).isEqualTo(2);
        assertThat(getJson("/api/webhooks").get("webhooks")).isEmpty();
        assertThat(getJson("/api/webhooks").get("received").asLong()).isEqualTo(2);
        assertThat(get("/api/webhooks/x").statusCode()).isEqualTo(400);
        assertThat(get("/api/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void failsPathsOnDemandToShowRetries() throws Exception {
        inspector.respondWith("/hooks/down", 503, 1);
        inspector.respondWith("/hooks/flaky", 503, 0.5);

        HttpResponse<String> down = send(HttpRequest.newBuilder(uri("/hooks/down")).POST(HttpRequest.BodyPublishers.ofString("{}")));
        int failures = 0;
        for (int i = 0; i < 60; i++) {
            if (send(HttpRequest.newBuilder(uri("/hooks/flaky")).POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode() == 503) {
                failures++;
            }
        }
        inspector.respondNormally("/hooks/down");
        HttpResponse<String> up = send(HttpRequest.newBuilder(uri("/hooks/down")).POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(failures).isBetween(10, 50);
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(inspector.webhooks(100, "/hooks/down")).extracting(ReceivedWebhook::responseStatus).containsExactly(200, 503);
    }

    @Test
    void slowPathsAreRecordedAtOnceAndAnsweredLater() throws Exception {
        inspector.respondAfter("/hooks/slow", Duration.ofMillis(1500));
        inspector.respondWith("/hooks/slow", 503, 1);

        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(HttpRequest.newBuilder(uri("/hooks/slow"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> inspector.received() == 1);
        assertThat(slow).as("answered before its delay").isNotDone();
        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));

        inspector.respondNormally("/hooks/slow");
        long again = System.nanoTime();
        assertThat(send(HttpRequest.newBuilder(uri("/hooks/slow")).POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode())
                .isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void recordsNothingOutsideHooks() throws Exception {
        assertThat(get("/elsewhere").statusCode()).isEqualTo(404);
        // Only the page's files answer GET outside /hooks/ and /api/.
        assertThat(send(HttpRequest.newBuilder(uri("/elsewhere")).POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode())
                .isEqualTo(405);
        assertThat(inspector.received()).isZero();
    }

    @Test
    void servesTheSelfContainedPage() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(WebhookInspector.CONTENT_SECURITY_POLICY);
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.body()).contains("data-testid=\"webhooks\"", "data-testid=\"no-webhooks\"", "data-testid=\"path-filter\"",
                "data-testid=\"pause\"", "data-testid=\"clear\"", "data-testid=\"received\"", "data-testid=\"hook-url\"",
                "data-testid=\"refreshed-at\"", "data-testid=\"error\"", "<script src=\"app.js\" defer></script>",
                "Content-Security-Policy");
        // Nothing from elsewhere, no inline script.
        assertThat(page.body()).doesNotContain("http://", "https://", "<script>", "onclick=", "style=");

        HttpResponse<String> script = get("/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).get().asString().contains("javascript");
        assertThat(script.body()).contains("api/webhooks", "textContent", "2000")
                .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "document.write");
        assertThat(get("/app.css").statusCode()).isEqualTo(200);
    }

    @Test
    void givesSubscriptionUrls() {
        assertThat(inspector.url("/hooks/sub-1")).isEqualTo(base + "/hooks/sub-1");
    }

    // ---------------------------------------------------------------- helpers

    private URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    private JsonNode getJson(String pathAndQuery) throws Exception {
        HttpResponse<String> response = get(pathAndQuery);
        assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        return JSON.readTree(response.body());
    }

    private void sendSigned(String path, String id, long timestamp, String body, String signature) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    /** Signs as a Standard Webhooks sender does, independently of the inspector's code. */
    private static String sign(String secret, String id, long timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(digest);
    }

    private static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
