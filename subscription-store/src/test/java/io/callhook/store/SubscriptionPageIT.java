package io.callhook.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.CallPhase;
import io.callhook.model.DeliveryAttempt;
import io.callhook.net.AddressPolicy;
import io.callhook.store.app.StoreApp;
import io.callhook.store.browser.HeadlessChromium;
import io.callhook.store.browser.HeadlessChromium.SentRequest;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The subscription page in headless Chromium against the real store (its API on the real broker
 * and registry; no dispatcher, so nothing is delivered anywhere). Checks what the page sends, as
 * Chromium's network log records it, what the store made of it, and what the page shows of the
 * store's answers. Each test has an account of its own, so the tests do not see each other's rows.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionPageIT {

    private static final String LIST = "/api/v1/subscriptions";
    private static final AtomicLong ACCOUNTS = new AtomicLong(4200);

    private StoreHarness harness;
    private StoreApp store;
    private HeadlessChromium chromium;
    private WebDriver driver;
    private final List<SentRequest> sent = new ArrayList<>();
    private long account;
    private String token;

    @RegisterExtension
    final AfterTestExecutionCallback browserCheck = HeadlessChromium.checkEachTest(() -> chromium);

    @BeforeAll
    void start(Infra infra) throws Exception {
        harness = new StoreHarness(infra, "pageit.");
        store = harness.start("store-page-it", AddressPolicy.STRICT);
        chromium = HeadlessChromium.startRecordingRequests();
        driver = chromium.driver();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (store != null) {
                store.close();
            }
            harness.close();
        }
    }

    @BeforeEach
    void freshPage() {
        account = ACCOUNTS.incrementAndGet();
        token = StoreHarness.accountToken(account);
        driver.get(baseUrl());
        js("localStorage.clear()");
        driver.get(baseUrl());
        HeadlessChromium.assertNoScriptErrors(chromium.consoleSinceLastCall());
        forgetRequests();
    }

    // ------------------------------------------------------------------ token

    @Test
    void accountTokenIsSavedAndImpliesTheAccountId() {
        WebElement tokenField = driver.findElement(testid("token"));
        tokenField.sendKeys(token);
        WebElement accountField = driver.findElement(testid("account-id"));
        assertThat(accountField.getDomProperty("value")).isEqualTo(Long.toString(account));
        assertThat(accountField.getDomProperty("readOnly")).isEqualTo("true");

        driver.findElement(testid("save-token")).click();

        SentRequest list = awaitRequest("GET", LIST);
        assertThat(list.header("Authorization")).isEqualTo("Bearer " + token);
        assertThat(list.query()).doesNotContainKey("accountId");   // an account token may omit it
        assertThat(js("return localStorage.getItem('callhook.token')")).isEqualTo(token);
        await().until(d -> d.findElement(testid("session")).getText().contains(Long.toString(account)));

        // Kept across a reload: the page comes back signed in and lists again by itself.
        forgetRequests();
        driver.navigate().refresh();
        assertThat(driver.findElement(testid("token")).getDomProperty("value")).isEqualTo(token);
        assertThat(driver.findElement(testid("account-id")).getDomProperty("value")).isEqualTo(Long.toString(account));
        assertThat(awaitRequest("GET", LIST).header("Authorization")).isEqualTo("Bearer " + token);
    }

    @Test
    void adminTokenNeedsAnAccountIdAndListsThatAccount() throws Exception {
        driver.findElement(testid("token")).sendKeys(StoreHarness.ADMIN);
        assertThat(driver.findElement(testid("account-id")).getDomProperty("readOnly")).isEqualTo("false");
        driver.findElement(testid("save-token")).click();

        WebElement error = await().until(ExpectedConditions.visibilityOfElementLocated(testid("error")));
        assertThat(error.getText()).contains("номер аккаунта");
        assertThat(apiRequests()).as("nothing is asked without an account").isEmpty();

        String id = create(account, "CALLKEEPER", "https://seven.example.com/hook");
        driver.findElement(testid("account-id")).sendKeys(Long.toString(account));
        driver.findElement(testid("save-token")).click();

        SentRequest list = awaitRequest("GET", LIST);
        assertThat(list.header("Authorization")).isEqualTo("Bearer " + StoreHarness.ADMIN);
        assertThat(list.query()).containsEntry("accountId", Long.toString(account));
        await().until(ExpectedConditions.presenceOfElementLocated(row(id)));
        await().until(ExpectedConditions.invisibilityOfElementLocated(testid("error")));
        assertThat(js("return localStorage.getItem('callhook.accountId')")).isEqualTo(Long.toString(account));
    }

    @Test
    void aRefusedTokenIsShownReadably() {
        driver.findElement(testid("token")).sendKeys("not-a-valid-token");
        driver.findElement(testid("account-id")).sendKeys(Long.toString(account));
        driver.findElement(testid("save-token")).click();

        WebElement error = await().until(ExpectedConditions.visibilityOfElementLocated(testid("error")));
        await().until(d -> error.getText().contains("401"));
        assertThat(error.getText()).contains("missing or invalid bearer token");
    }

    // ------------------------------------------------------------------ add form

    @Test
    void addingACalltrackingSubscriptionPostsTheChosenSettings() throws Exception {
        signIn();
        new Select(driver.findElement(testid("new-product"))).selectByValue("CALLTRACKING");
        assertThat(driver.findElement(testid("new-events")).isDisplayed()).isTrue();
        driver.findElement(testid("new-url")).sendKeys("https://crm.example.com/hooks/calls?src=callhook");
        new Select(driver.findElement(testid("new-events"))).selectByValue("ENDED");
        new Select(driver.findElement(testid("new-content-type"))).selectByValue("application/x-www-form-urlencoded");
        driver.findElement(testid("new-renames")).sendKeys("visit_info.udata.uag=user_agent\n\n  phone2 = client_phone  \n# a comment\n");
        driver.findElement(testid("new-params")).sendKeys("secret=shared=with=crm\nsource=callhook");
        driver.findElement(testid("add")).click();

        SentRequest post = awaitRequest("POST", LIST);
        assertThat(post.header("Authorization")).isEqualTo("Bearer " + token);
        assertThat(post.header("Content-Type")).startsWith("application/json");
        assertThat(json(post.body())).isEqualTo(json(StoreHarness.JSON.writeValueAsString(Map.of(
                "accountId", account,
                "product", "CALLTRACKING",
                "url", "https://crm.example.com/hooks/calls?src=callhook",
                "events", List.of("ENDED"),
                "contentType", "application/x-www-form-urlencoded",
                "renames", Map.of("visit_info.udata.uag", "user_agent", "phone2", "client_phone"),
                "params", Map.of("secret", "shared=with=crm", "source", "callhook")))));

        String id = subscriptionWithUrl("https://crm.example.com/hooks/calls?src=callhook");
        await().until(ExpectedConditions.textToBe(inRow(id, "url"), "https://crm.example.com/hooks/calls?src=callhook"));
        assertThat(driver.findElement(testid("add-errors")).isDisplayed()).isFalse();
        assertThat(driver.findElement(testid("new-url")).getDomProperty("value")).isEmpty();
        JsonNode made = subscription(id);
        assertThat(made.path("events").toString()).isEqualTo("[\"ENDED\"]");
        assertThat(made.path("renames").path("phone2").asText()).isEqualTo("client_phone");

        // Both events, JSON, nothing renamed: no empty renames/params are sent.
        driver.findElement(testid("new-url")).sendKeys("https://crm.example.com/both");
        new Select(driver.findElement(testid("new-events"))).selectByValue("BOTH");
        new Select(driver.findElement(testid("new-content-type"))).selectByValue("application/json");
        driver.findElement(testid("add")).click();
        await().until(d -> requests("POST", LIST).size() == 2);
        assertThat(json(requests("POST", LIST).get(1).body())).isEqualTo(json(StoreHarness.JSON.writeValueAsString(Map.of(
                "accountId", account,
                "product", "CALLTRACKING",
                "url", "https://crm.example.com/both",
                "events", List.of("STARTED", "ENDED"),
                "contentType", "application/json"))));
        await().until(ExpectedConditions.presenceOfElementLocated(row(subscriptionWithUrl("https://crm.example.com/both"))));
    }

    @Test
    void addingACallkeeperSubscriptionPostsOnlyTheUrl() throws Exception {
        signIn();
        assertThat(driver.findElement(testid("new-events")).isDisplayed()).isFalse();
        driver.findElement(testid("new-url")).sendKeys("https://crm.example.com/ck");
        driver.findElement(testid("add")).click();

        assertThat(json(awaitRequest("POST", LIST).body())).isEqualTo(json(StoreHarness.JSON.writeValueAsString(Map.of(
                "accountId", account, "product", "CALLKEEPER", "url", "https://crm.example.com/ck"))));
        String id = subscriptionWithUrl("https://crm.example.com/ck");
        await().until(ExpectedConditions.textToBe(inRow(id, "sent"), "0"));
    }

    @Test
    void theApisProblemsAreListedNextToTheForm() throws Exception {
        signIn();
        new Select(driver.findElement(testid("new-product"))).selectByValue("CALLTRACKING");
        driver.findElement(testid("new-url")).sendKeys("ftp://files.example.com/x");
        driver.findElement(testid("new-renames")).sendKeys("no.such.key=x\n<b>bold</b>=y");
        driver.findElement(testid("add")).click();

        awaitRequest("POST", LIST);
        await().until(d -> problems().size() == 3);
        // The page asks in its language (Accept-Language: ru); the store answers with its own wording, kept as it is.
        assertThat(problems()).containsExactlyInAnyOrder(
                "url: нужен абсолютный URL http или https",
                "renames: \"<b>bold</b>\" — не документированный ключ",
                "renames: \"no.such.key\" — не документированный ключ");
        // Shown as text, never as markup.
        assertThat(driver.findElements(By.cssSelector("[data-testid='add-errors'] b"))).isEmpty();

        // A line the page cannot read is reported before anything is sent.
        WebElement renames = driver.findElement(testid("new-renames"));
        renames.clear();
        renames.sendKeys("phone2");
        driver.findElement(testid("add")).click();
        await().until(d -> problems().size() == 1);
        assertThat(problems().get(0)).startsWith("renames: ").contains("documented.path=new_name");
        assertThat(requests("POST", LIST)).hasSize(1);

        // Corrected, it goes through and the list clears.
        WebElement url = driver.findElement(testid("new-url"));
        url.clear();
        url.sendKeys("https://files.example.com/x");
        renames.clear();
        renames.sendKeys("phone2=client_phone");
        driver.findElement(testid("add")).click();
        await().until(ExpectedConditions.invisibilityOfElementLocated(testid("add-errors")));
        assertThat(requests("POST", LIST)).hasSize(2);
        await().until(ExpectedConditions.presenceOfElementLocated(row(subscriptionWithUrl("https://files.example.com/x"))));
    }

    // ------------------------------------------------------------------ the table

    @Test
    void theTableShowsTheAccountsRowsAndUpdatesTheSentCounterByItself() throws Exception {
        String keeper = create(account, "CALLKEEPER", "https://crm.example.com/keeper");
        Instant t0 = Instant.now().minusSeconds(60);
        harness.publish(attempt(keeper, "msg_k1", 1, t0, AttemptOutcome.DELIVERED, 200));
        harness.publish(attempt(keeper, "msg_k2", 1, t0.plusSeconds(1), AttemptOutcome.DELIVERED, 200));
        // As markup-like as a URL the store accepts may be: an attribute breaking out, an encoded tag.
        String trackingUrl = "https://crm.example.com/tracking?q='onmouseover='window.__xss=1&t=%3Cimg%20src=x%3E";
        String tracking = create(account, "CALLTRACKING", trackingUrl);
        assertThat(harness.call(store, "PATCH", LIST + "/" + tracking, StoreHarness.ADMIN, "{\"enabled\":false}").status())
                .isEqualTo(200);
        String other = create(account + 100_000, "CALLKEEPER", "https://other-account.example.com/");
        signIn();

        await().until(d -> d.findElements(testid("subscription-row")).size() == 2);
        assertThat(driver.findElements(testid("subscription-row")))
                .extracting(e -> e.getDomAttribute("data-id")).containsExactlyInAnyOrder(keeper, tracking);
        assertThat(driver.findElements(row(other))).isEmpty();
        await().until(ExpectedConditions.textToBe(inRow(keeper, "sent"), "2"));
        assertThat(text(inRow(keeper, "url"))).isEqualTo("https://crm.example.com/keeper");
        assertThat(text(inRow(keeper, "failed"))).isEqualTo("0");
        assertThat(text(inRow(keeper, "last-status"))).isEqualTo("200");
        assertThat(text(inRow(tracking, "enabled"))).contains("отключена").contains("disabled by the customer");
        assertThat(text(inRow(tracking, "url"))).isEqualTo(trackingUrl);
        assertThat(driver.findElements(By.cssSelector("[data-testid='subscriptions'] img"))).isEmpty();
        new org.openqa.selenium.interactions.Actions(driver).moveToElement(driver.findElement(inRow(tracking, "url"))).perform();
        assertThat(js("return window.__xss === undefined")).isEqualTo(true);

        // Deliveries happen elsewhere; the page notices on its own.
        harness.publish(attempt(keeper, "msg_k3", 1, t0.plusSeconds(2), AttemptOutcome.DELIVERED, 200));
        harness.publish(attempt(keeper, "msg_k4", 1, t0.plusSeconds(3), AttemptOutcome.RETRYING, 500));
        await().until(ExpectedConditions.textToBe(inRow(keeper, "sent"), "3"));
        await().until(ExpectedConditions.textToBe(inRow(keeper, "failed"), "1"));
        await().until(ExpectedConditions.textToBe(inRow(keeper, "last-status"), "500"));

        String added = create(account, "CALLKEEPER", "https://crm.example.com/added-elsewhere");
        await().until(ExpectedConditions.presenceOfElementLocated(row(added)));
        assertThat(harness.call(store, "DELETE", LIST + "/" + tracking, StoreHarness.ADMIN, null).status()).isEqualTo(204);
        await().until(ExpectedConditions.numberOfElementsToBe(row(tracking), 0));
        assertThat(requests("GET", LIST).size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void sendTestWebhookCallsTheTestEndpoint() throws Exception {
        String id = create(account, "CALLKEEPER", "https://crm.example.com/keeper");
        signIn();
        await().until(ExpectedConditions.presenceOfElementLocated(row(id))).findElement(testid("send-test")).click();

        SentRequest test = awaitRequest("POST", LIST + "/" + id + "/test");
        assertThat(test.header("Authorization")).isEqualTo("Bearer " + token);
        // The store's answer names the test call (ids of test calls start at 2^52, apart from real calls).
        await().until(ExpectedConditions.textMatches(inRow(id, "row-message"), java.util.regex.Pattern.compile("\\d{16}")));
    }

    @Test
    void theAttemptLogShowsRowsNewestFirstAndKeepsRefreshing() throws Exception {
        String id = create(account, "CALLTRACKING", "https://crm.example.com/tracking");
        harness.publish(DeliveryAttempt.newBuilder(attempt(id, "msg_1", 1, Instant.parse("2026-11-23T09:16:00Z"),
                        AttemptOutcome.RETRYING, 503)).setLatencyMs(120).setErrorType("HTTP_STATUS")
                .setErrorMessage("503 Service Unavailable").setResponseExcerpt("<h1>busy</h1>").build());
        harness.publish(DeliveryAttempt.newBuilder(attempt(id, "msg_1", 2, Instant.parse("2026-11-23T09:16:05Z"),
                AttemptOutcome.DELIVERED, 200)).setLatencyMs(41).setResponseExcerpt("ok").build());
        signIn();
        await().until(ExpectedConditions.presenceOfElementLocated(row(id))).findElement(testid("show-attempts")).click();

        await().until(d -> attemptRows(id).size() == 2);
        SentRequest request = awaitRequest("GET", LIST + "/" + id + "/attempts");
        assertThat(request.query()).containsEntry("limit", "50");
        List<WebElement> rows = attemptRows(id);
        assertThat(cell(rows.get(0), "attempt-time")).isEqualTo("2026-11-23 09:16:05 UTC");
        assertThat(cell(rows.get(0), "attempt-status")).isEqualTo("200");
        assertThat(cell(rows.get(0), "attempt-latency")).isEqualTo("41 мс");
        assertThat(cell(rows.get(0), "attempt-outcome")).isEqualTo("DELIVERED");
        assertThat(cell(rows.get(0), "attempt-response")).isEqualTo("ok");
        assertThat(cell(rows.get(1), "attempt-status")).isEqualTo("503");
        assertThat(cell(rows.get(1), "attempt-outcome")).isEqualTo("RETRYING");
        assertThat(cell(rows.get(1), "attempt-error")).isEqualTo("HTTP_STATUS: 503 Service Unavailable");
        assertThat(cell(rows.get(1), "attempt-response")).isEqualTo("<h1>busy</h1>");
        assertThat(driver.findElements(By.cssSelector("[data-testid='attempts'] h1"))).isEmpty();

        // A new attempt shows up on top while the log is open, without a click.
        harness.publish(DeliveryAttempt.newBuilder(attempt(id, "msg_test", 1, Instant.parse("2026-11-23T09:17:00Z"),
                AttemptOutcome.DELIVERED, 204)).setLatencyMs(12).setCallId(9_007_199_254L).setPhase(CallPhase.STARTED)
                .setTest(true).build());
        await().until(d -> attemptRows(id).size() == 3);
        WebElement newest = attemptRows(id).get(0);
        assertThat(cell(newest, "attempt-time")).isEqualTo("2026-11-23 09:17:00 UTC");
        assertThat(newest.findElements(testid("attempt-test"))).hasSize(1);

        driver.findElement(row(id)).findElement(testid("show-attempts")).click();
        await().until(d -> !d.findElement(row(id)).findElement(testid("attempts")).isDisplayed());
    }

    @Test
    void theSecretIsShownAndHiddenOnDemand() throws Exception {
        String id = create(account, "CALLKEEPER", "https://crm.example.com/keeper");
        String secret = harness.call(store, "GET", LIST + "/" + id + "/secret", StoreHarness.ADMIN, null).body().path("secret").asText();
        signIn();
        WebElement row = await().until(ExpectedConditions.presenceOfElementLocated(row(id)));
        assertThat(row.findElements(testid("secret"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain(secret);

        assertThat(requests()).as("nothing asks for the secret before the button is pressed")
                .noneMatch(request -> request.path().endsWith("/secret"));

        row.findElement(testid("show-secret")).click();
        await().until(ExpectedConditions.textToBe(inRow(id, "secret"), secret));
        assertThat(secret).startsWith("whsec_");
        assertThat(requests("GET", LIST + "/" + id + "/secret")).as("asked for on the press").hasSize(1);

        row.findElement(testid("show-secret")).click();
        await().until(ExpectedConditions.numberOfElementsToBe(inRow(id, "secret"), 0));
        assertThat(driver.getPageSource()).as("not kept once hidden").doesNotContain(secret);
    }

    @Test
    void deleteAsksForConfirmationFirst() throws Exception {
        String id = create(account, "CALLKEEPER", "https://crm.example.com/doomed");
        signIn();
        await().until(ExpectedConditions.presenceOfElementLocated(row(id))).findElement(testid("delete")).click();

        Alert confirm = await().until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains("https://crm.example.com/doomed");
        confirm.dismiss();
        assertThat(driver.findElements(row(id))).hasSize(1);
        assertThat(requests("DELETE", LIST + "/" + id)).isEmpty();

        driver.findElement(row(id)).findElement(testid("delete")).click();
        await().until(ExpectedConditions.alertIsPresent()).accept();

        SentRequest delete = awaitRequest("DELETE", LIST + "/" + id);
        assertThat(delete.header("Authorization")).isEqualTo("Bearer " + token);
        await().until(ExpectedConditions.numberOfElementsToBe(row(id), 0));
        assertThat(harness.call(store, "GET", LIST + "/" + id, StoreHarness.ADMIN, null).status()).isEqualTo(404);
        await().until(ExpectedConditions.visibilityOfElementLocated(testid("no-subscriptions")));
    }

    // ------------------------------------------------------------------ helpers

    private String baseUrl() {
        return "http://127.0.0.1:" + store.port() + "/";
    }

    /** A subscription made through the API, as another client of the store would. */
    private String create(long accountId, String product, String url) throws Exception {
        StoreHarness.Answer made = harness.call(store, "POST", LIST, StoreHarness.ADMIN, StoreHarness.JSON.writeValueAsString(
                Map.of("accountId", accountId, "product", product, "url", url)));
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        return made.body().path("id").asText();
    }

    private JsonNode subscription(String id) throws Exception {
        return harness.call(store, "GET", LIST + "/" + id, StoreHarness.ADMIN, null).body();
    }

    /**
     * The id of the test account's subscription with this URL, as the store lists it once it has
     * answered the page's request (which may still be on its way when the request has left).
     */
    private String subscriptionWithUrl(String url) throws Exception {
        JsonNode list = null;
        for (long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos(); System.nanoTime() < deadline; Thread.sleep(100)) {
            list = harness.call(store, "GET", LIST + "?accountId=" + account, StoreHarness.ADMIN, null).body();
            for (JsonNode subscription : list.path("subscriptions")) {
                if (subscription.path("url").asText().equals(url)) {
                    return subscription.path("id").asText();
                }
            }
        }
        throw new AssertionError("the store holds no subscription of account " + account + " for " + url + ": " + list);
    }

    /** An attempt as the dispatcher records it. */
    private DeliveryAttempt attempt(String subscriptionId, String webhookId, int number, Instant started, AttemptOutcome outcome,
                                    int status) {
        return DeliveryAttempt.newBuilder().setAttemptId(webhookId + "/" + number).setWebhookId(webhookId)
                .setSubscriptionId(subscriptionId).setAccountId(account).setCallId(1001).setPhase(CallPhase.ENDED)
                .setAttemptNumber(number).setStartedAt(started).setLatencyMs(10).setOutcome(outcome).setHttpStatus(status)
                .build();
    }


    private void signIn() {
        driver.findElement(testid("token")).sendKeys(token);
        driver.findElement(testid("save-token")).click();
        awaitRequest("GET", LIST);
    }

    private WebDriverWait await() {
        return chromium.await(Duration.ofSeconds(15));
    }

    private void forgetRequests() {
        chromium.requestsSinceLastCall();
        sent.clear();
    }

    /** What the page sent to the API since the test began (its own files left out). */
    private List<SentRequest> requests() {
        sent.addAll(chromium.requestsSinceLastCall());
        return List.copyOf(sent);
    }

    private List<SentRequest> apiRequests() {
        return requests().stream().filter(request -> request.path().startsWith("/api/")).toList();
    }

    private List<SentRequest> requests(String method, String path) {
        return requests().stream().filter(request -> request.method().equals(method) && request.path().equals(path)).toList();
    }

    private SentRequest awaitRequest(String method, String path) {
        await().withMessage(method + " " + path + " never left the browser")
                .until(d -> !requests(method, path).isEmpty());
        return requests(method, path).get(0);
    }

    private static JsonNode json(String text) throws Exception {
        return StoreHarness.JSON.readTree(text);
    }

    private List<String> problems() {
        return driver.findElements(By.cssSelector("[data-testid='add-errors'] li")).stream().map(WebElement::getText).toList();
    }

    private List<WebElement> attemptRows(String id) {
        return driver.findElement(row(id)).findElements(By.cssSelector("[data-testid='attempts'] [data-testid='attempt-row']"));
    }

    private static String cell(WebElement attemptRow, String testid) {
        return attemptRow.findElement(testid(testid)).getText();
    }

    private String text(By by) {
        return driver.findElement(by).getText();
    }

    private static By testid(String testid) {
        return By.cssSelector("[data-testid='" + testid + "']");
    }

    private static By row(String id) {
        return By.cssSelector("[data-testid='subscription-row'][data-id='" + id + "']");
    }

    private static By inRow(String id, String testid) {
        return By.cssSelector("[data-testid='subscription-row'][data-id='" + id + "'] [data-testid='" + testid + "']");
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }
}
