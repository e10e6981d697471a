package io.callhook.store;

import static io.callhook.store.StoreHarness.ADMIN;
import static io.callhook.store.StoreHarness.accountToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.CallPhase;
import io.callhook.model.DeadLetter;
import io.callhook.model.DeliveryAttempt;
import io.callhook.net.AddressPolicy;
import io.callhook.store.StoreHarness.Answer;
import io.callhook.store.api.StoreApi;
import io.callhook.store.app.StoreApp;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The store's API against its OpenAPI 3.1 description ({@code /api/v1/openapi.json}), checked
 * with Vert.x's OpenAPI validator: every request this test sends is looked up in the document
 * (an undocumented path or method fails), checked against it (a request the test means to be
 * wrong must be wrong by the document too), sent to the running store, and the answer's status,
 * headers and body are checked against the operation's responses. The last test demands every
 * operation answered with its success and with each of 400, 401 and 404 it documents. API.md is
 * kept in step by a check that it names exactly the document's operations.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractIT {

    private static final String URL = "https://crm.example.com/hooks/calls";
    private static final Pattern OPERATION_IN_API_MD = Pattern.compile("^\\| `(GET|POST|PUT|PATCH|DELETE) /api/v1([^`?]*)",
            Pattern.MULTILINE);

    private StoreHarness harness;
    private StoreApp store;
    private final Vertx vertx = Vertx.vertx();
    private OpenAPIContract contract;
    private RequestValidator requests;
    private ResponseValidator responses;
    /** "operationId status" of every answer seen and found valid. */
    private final Set<String> answered = new TreeSet<>();

    @BeforeAll
    void start(Infra infra) throws Exception {
        harness = new StoreHarness(infra, "openapi.");
        store = harness.start("store-openapi-it", AddressPolicy.STRICT, Map.of("CALLHOOK_STORE_MAX_SUBSCRIPTIONS_PER_ACCOUNT", "2",
                "CALLHOOK_STORE_TEST_CALL_LIMIT", "1/1h", "CALLHOOK_STORE_REPLAY_LIMIT", "2/1h"));
        // The document as the running store serves it, with no token.
        Answer served = harness.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + store.port() + StoreApi.OPENAPI_PATH)).build());
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonObject document = new JsonObject(served.text());
        assertThat(document.getJsonArray("servers").getJsonObject(0).getString("url")).isEqualTo("/api/v1");
        // Relative server URLs are valid OpenAPI (and let the document serve any host), but
        // Vert.x's contract loader wants an absolute one: the store's own address stands in.
        document.getJsonArray("servers").getJsonObject(0).put("url", "http://127.0.0.1:" + store.port() + "/api/v1");
        contract = OpenAPIContract.from(vertx, document).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(contract.getVersion().name()).isEqualTo("V3_1");
        requests = RequestValidator.create(vertx, contract);
        responses = ResponseValidator.create(vertx, contract);
        record(HttpMethod.GET, StoreApi.OPENAPI_PATH, served);
    }

    @AfterAll
    void stop() throws Exception {
        store.close();
        harness.close();
        vertx.close().await();
    }

    @Test
    @Order(1)
    void subscriptionsAreCreatedReadChangedAndDeletedAsDocumented() throws Exception {
        String body = "{\"accountId\":501,\"product\":\"CALLTRACKING\",\"url\":\"" + URL + "\",\"method\":\"GET\","
                + "\"events\":[\"ENDED\"],\"renames\":{\"visit_info.udata.uag\":\"ua\"},\"params\":{\"k\":\"v\"},"
                + "\"headers\":{\"X-Api-Key\":\"abc\"},\"rateLimit\":5}";
        String id = exchange("POST", "/api/v1/subscriptions", accountToken(501), body, true, 201).body().get("id").asText();
        exchange("POST", "/api/v1/subscriptions", accountToken(501), "{\"accountId\":501,\"product\":\"CALLKEEPER\",\"url\":\""
                + URL + "\"}", true, 201);
        exchange("POST", "/api/v1/subscriptions", accountToken(501), "{\"accountId\":501,\"product\":\"CALLKEEPER\",\"url\":\""
                + URL + "\"}", true, 409);
        exchange("POST", "/api/v1/subscriptions", accountToken(502), "{\"accountId\":502,\"product\":\"CALLKEEPER\",\"url\":\""
                + URL + "\",\"colour\":\"red\"}", false, 400);
        exchange("POST", "/api/v1/subscriptions", accountToken(502), "{\"accountId\":502,\"product\":\"CALLKEEPER\"}", false, 400);
        exchange("POST", "/api/v1/subscriptions", null, "{\"accountId\":502,\"product\":\"CALLKEEPER\",\"url\":\"" + URL + "\"}", true, 401);
        exchange("POST", "/api/v1/subscriptions", accountToken(502), "{\"accountId\":502,\"product\":\"CALLKEEPER\",\"url\":\""
                + URL + "\",\"params\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}", true, 413);
        Answer notJson = exchangeRaw("POST", "/api/v1/subscriptions", accountToken(502), "accountId=502", "application/x-www-form-urlencoded");
        assertThat(notJson.status()).isEqualTo(415);

        exchange("GET", "/api/v1/subscriptions?accountId=501", ADMIN, null, true, 200);
        exchange("GET", "/api/v1/subscriptions", accountToken(501), null, true, 200);
        exchange("GET", "/api/v1/subscriptions?accountId=lots", ADMIN, null, false, 400);
        exchange("GET", "/api/v1/subscriptions?accountId=501", accountToken(502), null, true, 404);
        exchange("GET", "/api/v1/subscriptions", null, null, true, 401);

        exchange("GET", "/api/v1/subscriptions/" + id, accountToken(501), null, true, 200);
        exchange("GET", "/api/v1/subscriptions/" + id, accountToken(502), null, true, 404);
        exchange("GET", "/api/v1/subscriptions/" + id, "wrong-token", null, true, 401);

        String replacement = "{\"url\":\"" + URL + "/v2\",\"events\":[\"STARTED\",\"ENDED\"],\"contentType\":\"application/x-www-form-urlencoded\"}";
        exchange("PUT", "/api/v1/subscriptions/" + id, accountToken(501), replacement, true, 200);
        exchange("PUT", "/api/v1/subscriptions/" + id, accountToken(501), "{\"url\":\"" + URL + "\",\"rateLimit\":\"fast\"}", false, 400);
        exchange("PUT", "/api/v1/subscriptions/sub_missing", accountToken(501), replacement, true, 404);
        exchange("PUT", "/api/v1/subscriptions/" + id, null, replacement, true, 401);

        exchange("PATCH", "/api/v1/subscriptions/" + id, accountToken(501), "{\"enabled\":false}", true, 200);
        exchange("PATCH", "/api/v1/subscriptions/" + id, accountToken(501), "{\"enabled\":true,\"rateLimit\":null}", true, 200);
        // Valid by the document's types, refused by the store's rules: a product cannot change.
        exchange("PATCH", "/api/v1/subscriptions/" + id, accountToken(501), "{\"product\":\"CALLKEEPER\"}", true, 400);
        exchange("PATCH", "/api/v1/subscriptions/" + id, accountToken(502), "{\"enabled\":false}", true, 404);
        exchange("PATCH", "/api/v1/subscriptions/" + id, null, "{\"enabled\":false}", true, 401);

        exchange("GET", "/api/v1/subscriptions/" + id + "/secret", accountToken(501), null, true, 200);
        exchange("GET", "/api/v1/subscriptions/" + id + "/secret", accountToken(502), null, true, 404);
        exchange("GET", "/api/v1/subscriptions/" + id + "/secret", null, null, true, 401);

        exchange("POST", "/api/v1/subscriptions/" + id + "/rotate-secret", accountToken(501), "{\"graceSeconds\":60}", true, 200);
        exchange("POST", "/api/v1/subscriptions/" + id + "/rotate-secret", accountToken(501), null, true, 200);
        exchange("POST", "/api/v1/subscriptions/" + id + "/rotate-secret", accountToken(501), "{\"graceSeconds\":-1}", false, 400);
        exchange("POST", "/api/v1/subscriptions/" + id + "/rotate-secret", accountToken(502), null, true, 404);
        exchange("POST", "/api/v1/subscriptions/" + id + "/rotate-secret", null, null, true, 401);

        exchange("POST", "/api/v1/subscriptions/" + id + "/test", accountToken(501), null, true, 202);
        exchange("POST", "/api/v1/subscriptions/" + id + "/test", accountToken(501), null, true, 429);
        exchange("POST", "/api/v1/subscriptions/" + id + "/test", accountToken(502), null, true, 404);
        exchange("POST", "/api/v1/subscriptions/" + id + "/test", null, null, true, 401);

        exchange("DELETE", "/api/v1/subscriptions/" + id, accountToken(502), null, true, 404);
        exchange("DELETE", "/api/v1/subscriptions/" + id, null, null, true, 401);
        exchange("DELETE", "/api/v1/subscriptions/" + id, accountToken(501), null, true, 204);
        exchange("GET", "/api/v1/subscriptions/" + id, accountToken(501), null, true, 404);
    }

    @Test
    @Order(2)
    void attemptsDeadLettersAndReplaysAnswerAsDocumented() throws Exception {
        String id = exchange("POST", "/api/v1/subscriptions", accountToken(511), "{\"accountId\":511,\"product\":\"CALLKEEPER\",\"url\":\""
                + URL + "\"}", true, 201).body().get("id").asText();
        harness.publish(attempt(id, "msg_oa1", 1, AttemptOutcome.RETRYING, null, "CONNECT_TIMEOUT"));
        harness.publish(attempt(id, "msg_oa1", 2, AttemptOutcome.DELIVERED, 200, null));
        DeadLetter letter = DeadLetterFixtures.retriesExhausted(id, 511, "msg_oa_dead", URL);
        harness.publish(harness.names.deadLetters(), id, harness.topics.deadLetters().valueSerde().serializer()
                .serialize(harness.names.deadLetters(), letter));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            Answer listed = harness.call(store, "GET", "/api/v1/dead-letters?subscriptionId=" + id, accountToken(511), null);
            Answer attempts = harness.call(store, "GET", "/api/v1/subscriptions/" + id + "/attempts", accountToken(511), null);
            return listed.status() == 200 && listed.body().get("deadLetters").size() == 1
                    && attempts.status() == 200 && attempts.body().get("attempts").size() >= 2;
        });
        // Counters filled in, as the Sent counter shows them.
        JsonNode read = exchange("GET", "/api/v1/subscriptions/" + id, accountToken(511), null, true, 200).body();
        assertThat(read.get("counters").get("sent").asLong()).isEqualTo(1);

        assertThat(exchange("GET", "/api/v1/subscriptions/" + id + "/attempts?limit=5", accountToken(511), null, true, 200)
                .body().get("attempts")).hasSizeGreaterThanOrEqualTo(2);
        exchange("GET", "/api/v1/subscriptions/" + id + "/attempts?limit=many", accountToken(511), null, false, 400);
        JsonNode firstPage = exchange("GET", "/api/v1/subscriptions/" + id + "/attempts?limit=1&callId=1",
                accountToken(511), null, true, 200).body();
        assertThat(firstPage.get("attempts")).hasSize(1);
        exchange("GET", "/api/v1/subscriptions/" + id + "/attempts?limit=1&outcome=RETRYING&before="
                + java.net.URLEncoder.encode(firstPage.get("next").asText(), StandardCharsets.UTF_8),
                accountToken(511), null, true, 200);
        exchange("GET", "/api/v1/subscriptions/" + id + "/attempts?outcome=FINE", accountToken(511), null, false, 400);

        // One attempt with the request it sent (read back from the outbound topic), and that request sent again.
        io.callhook.model.WebhookRequest sent = DeadLetterFixtures.retriesExhausted(id, 511, "msg_oa_sent", URL).getRequest();
        org.apache.kafka.clients.producer.RecordMetadata at = harness.publish(harness.names.outbound(), id,
                harness.topics.outbound().valueSerde().serializer().serialize(harness.names.outbound(),
                        io.callhook.model.WebhookRequest.newBuilder(sent).setAttempts(java.util.List.of()).build()));
        harness.publish(DeliveryAttempt.newBuilder(attempt(id, "msg_oa_sent", 1, AttemptOutcome.RETRYING, 500, "HTTP_STATUS"))
                .setRequest(new io.callhook.model.SourceCoordinates(at.topic(), at.partition(), at.offset())).build());
        String one = "/api/v1/subscriptions/" + id + "/attempts/msg_oa_sent%2F1";
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> harness.call(store, "GET", one, accountToken(511), null).status() == 200);
        assertThat(exchange("GET", one, accountToken(511), null, true, 200).body().get("request").get("body").asText()).isEqualTo("{}");
        exchange("GET", "/api/v1/subscriptions/" + id + "/attempts/msg_none%2F1", accountToken(511), null, true, 404);
        exchange("GET", one, accountToken(512), null, true, 404);
        exchange("GET", one, null, null, true, 401);
        exchange("POST", one + "/resend", accountToken(511), null, true, 202);
        exchange("POST", "/api/v1/subscriptions/" + id + "/attempts/msg_oa1%2F1/resend", accountToken(511), null, true, 409);
        exchange("POST", one + "/resend", accountToken(512), null, true, 404);
        exchange("POST", one + "/resend", null, null, true, 401);
        exchange("GET", "/api/v1/subscriptions/" + id + "/attempts", accountToken(512), null, true, 404);
        exchange("GET", "/api/v1/subscriptions/" + id + "/attempts", null, null, true, 401);

        assertThat(exchange("GET", "/api/v1/dead-letters?subscriptionId=" + id, accountToken(511), null, true, 200)
                .body().get("deadLetters")).hasSize(1);
        exchange("GET", "/api/v1/dead-letters", accountToken(511), null, false, 400);
        exchange("GET", "/api/v1/dead-letters?subscriptionId=" + id, accountToken(512), null, true, 404);
        exchange("GET", "/api/v1/dead-letters?subscriptionId=" + id, null, null, true, 401);

        JsonNode replay = exchange("POST", "/api/v1/dead-letters/replay", accountToken(511), "{\"subscriptionId\":\"" + id + "\"}", true, 202)
                .body();
        assertThat(replay.get("state").asText()).isEqualTo("DONE");
        exchange("POST", "/api/v1/dead-letters/replay", accountToken(511), "{\"subscriptionId\":\"" + id
                + "\",\"from\":\"yesterday\"}", false, 400);
        exchange("POST", "/api/v1/dead-letters/replay", accountToken(511), "{}", false, 400);
        exchange("POST", "/api/v1/dead-letters/replay", accountToken(512), "{\"subscriptionId\":\"" + id + "\"}", true, 404);
        exchange("POST", "/api/v1/dead-letters/replay", null, "{\"subscriptionId\":\"" + id + "\"}", true, 401);
        exchange("POST", "/api/v1/dead-letters/replay", accountToken(511), "{\"subscriptionId\":\"" + id + "\",\"from\":\""
                + Instant.now().minusSeconds(60) + "\"}", true, 202);
        exchange("POST", "/api/v1/dead-letters/replay", accountToken(511), "{\"subscriptionId\":\"" + id + "\"}", true, 429);

        String replayId = replay.get("replayId").asText();
        exchange("GET", "/api/v1/dead-letters/replays/" + replayId, accountToken(511), null, true, 200);
        exchange("GET", "/api/v1/dead-letters/replays/" + replayId, accountToken(512), null, true, 404);
        exchange("GET", "/api/v1/dead-letters/replays/" + replayId, null, null, true, 401);
    }

    @Test
    @Order(3)
    void unknownPathsAreNotInTheDocumentAndAnswer404() throws Exception {
        assertThat(contract.findOperation("/api/v1/webhooks", HttpMethod.GET)).isNull();
        assertThat(harness.call(store, "GET", "/api/v1/webhooks", ADMIN, null).status()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void everyOperationWasAnsweredWithItsSuccessAnd400_401_404WhereDocumented() {
        Set<String> expected = new TreeSet<>();
        for (Operation operation : contract.operations()) {
            for (String status : documentedStatuses(operation)) {
                if (status.startsWith("2") || Set.of("400", "401", "404").contains(status)) {
                    expected.add(operation.getOperationId() + " " + status);
                }
            }
            if (operation.getSecurityRequirements().isEmpty()) {
                continue;
            }
            assertThat(documentedStatuses(operation))
                    .as(operation.getOperationId() + " is secured, so it documents 401").contains("401");
        }
        assertThat(expected).as("the document's operations").hasSizeGreaterThanOrEqualTo(16 * 2);
        assertThat(answered).containsAll(expected);
    }

    @Test
    @Order(5)
    void apiMdNamesExactlyTheDocumentsOperations() throws Exception {
        String apiMd = Files.readString(Path.of(System.getProperty("callhook.root", ".."), "subscription-store", "API.md"));
        Set<String> inApiMd = new TreeSet<>();
        Matcher matcher = OPERATION_IN_API_MD.matcher(apiMd);
        while (matcher.find()) {
            inApiMd.add(matcher.group(1) + " " + matcher.group(2).replaceAll("\\{[^}]+}", "{}"));
        }
        Set<String> inDocument = contract.operations().stream()
                .filter(operation -> !operation.getSecurityRequirements().isEmpty())
                .map(operation -> operation.getHttpMethod().name() + " " + operation.getOpenAPIPath().replaceAll("\\{[^}]+}", "{}"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(inApiMd).as("API.md's endpoint table").isEqualTo(inDocument);
    }

    /**
     * Sends one request, with {@code conforms} saying whether it is valid by the document, and
     * checks the answer against the document.
     */
    private Answer exchange(String method, String target, String token, String json, boolean conforms, int expectedStatus)
            throws Exception {
        Operation operation = operationOf(method, target);
        Map<String, RequestParameter> headers = new HashMap<>();
        if (token != null) {
            headers.put("Authorization", new RequestParameterImpl("Bearer " + token));
        }
        RequestParameter body = json == null ? null : new RequestParameterImpl(Buffer.buffer(json));
        ValidatableRequestImpl request = new ValidatableRequestImpl(Map.of(), headers, pathParameters(operation, target),
                queryParameters(target), body, json == null ? null : "application/json");
        Throwable verdict = requests.validate(request, operation.getOperationId()).toCompletionStage().toCompletableFuture()
                .handle((valid, failure) -> failure).get(10, TimeUnit.SECONDS);
        if (conforms) {
            assertThat(verdict).as(method + " " + target + " is valid by the document").isNull();
        } else {
            assertThat(verdict).as(method + " " + target + " is invalid by the document").isNotNull();
        }
        Answer answer = harness.call(store, method, target, token, json);
        assertThat(answer.status()).as(method + " " + target + ": " + answer.text()).isEqualTo(expectedStatus);
        record(HttpMethod.valueOf(method), URI.create(target).getRawPath(), answer);
        return answer;
    }

    /** A request whose body is not JSON: only the answer is checked (the document has no such body to check it against). */
    private Answer exchangeRaw(String method, String target, String token, String text, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + store.port() + target))
                .method(method, HttpRequest.BodyPublishers.ofString(text)).header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType).build();
        Answer answer = harness.send(request);
        record(HttpMethod.valueOf(method), URI.create(target).getRawPath(), answer);
        return answer;
    }

    /** Checks an answer against its operation's documented responses, and remembers it. */
    private void record(HttpMethod method, String path, Answer answer) throws Exception {
        Operation operation = operationOf(method.name(), path);
        assertThat(documentedStatuses(operation).contains(Integer.toString(answer.status())))
                .as(operation.getOperationId() + " documents the status " + answer.status() + " (" + answer.text() + ")").isTrue();
        Map<String, String> headers = new HashMap<>();
        answer.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
        String contentType = answer.headers().firstValue("Content-Type").map(type -> type.split(";")[0].strip()).orElse(null);
        ValidatableResponse response = answer.text().isEmpty()
                ? ValidatableResponse.create(answer.status(), headers)
                : ValidatableResponse.create(answer.status(), headers, Buffer.buffer(answer.text()), contentType);
        Throwable verdict = responses.validate(response, operation.getOperationId()).toCompletionStage().toCompletableFuture()
                .handle((valid, failure) -> failure).get(10, TimeUnit.SECONDS);
        assertThat(verdict).as(operation.getOperationId() + " " + answer.status() + " answered as documented: " + answer.text()).isNull();
        answered.add(operation.getOperationId() + " " + answer.status());
    }

    private Set<String> documentedStatuses(Operation operation) {
        return contract.getRawContract().getJsonObject("paths").getJsonObject(operation.getOpenAPIPath())
                .getJsonObject(operation.getHttpMethod().name().toLowerCase(java.util.Locale.ROOT)).getJsonObject("responses").fieldNames();
    }

    private Operation operationOf(String method, String target) {
        String path = URI.create(target).getRawPath();
        Operation operation = contract.findOperation(path, HttpMethod.valueOf(method));
        assertThat(operation).as(method + " " + path + " is in the document").isNotNull();
        return operation;
    }

    private Map<String, RequestParameter> pathParameters(Operation operation, String target) {
        String[] template = operation.getOpenAPIPath().split("/");
        String[] actual = URI.create(target).getRawPath().split("/");
        Map<String, RequestParameter> parameters = new HashMap<>();
        // The template lacks the server's base path (/api/v1): align the two from their ends.
        for (int i = 1; i <= template.length; i++) {
            String segment = template[template.length - i];
            if (segment.startsWith("{")) {
                parameters.put(segment.substring(1, segment.length() - 1),
                        new RequestParameterImpl(URLDecoder.decode(actual[actual.length - i], StandardCharsets.UTF_8)));
            }
        }
        return parameters;
    }

    private static Map<String, RequestParameter> queryParameters(String target) {
        String query = URI.create(target).getRawQuery();
        Map<String, RequestParameter> parameters = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] nameValue = pair.split("=", 2);
                parameters.put(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                        new RequestParameterImpl(nameValue.length < 2 ? "" : URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8)));
            }
        }
        return parameters;
    }

    private static DeliveryAttempt attempt(String subscriptionId, String webhookId, int number, AttemptOutcome outcome, Integer status,
                                           String errorType) {
        return DeliveryAttempt.newBuilder().setAttemptId(webhookId + "/" + number).setWebhookId(webhookId)
                .setSubscriptionId(subscriptionId).setAccountId(511).setCallId(1).setPhase(CallPhase.ENDED)
                .setAttemptNumber(number).setStartedAt(Instant.now().plusMillis(number)).setLatencyMs(12).setOutcome(outcome)
                .setHttpStatus(status).setErrorType(errorType).setResponseExcerpt(status == null ? null : "ok").build();
    }
}
