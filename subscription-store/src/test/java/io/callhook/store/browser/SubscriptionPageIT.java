package io.callhook.store.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * The subscription page (webroot) in headless Chromium against an in-memory fake of the API
 * ({@link FakeStoreApi}): no store server, no Kafka. Checks what the page sends and what it shows.
 */
class SubscriptionPageIT {

    private static final long ACCOUNT = 42;
    private static final String TOKEN = FakeStoreApi.accountToken(ACCOUNT);
    private static final String LIST = "/api/v1/subscriptions";

    private static FakeStoreApi api;
    private static HeadlessChromium chromium;
    private static WebDriver driver;

    /** On failure: a screenshot and the browser console. On success: no script error, no CSP violation. */
    @RegisterExtension
    final AfterTestExecutionCallback browserCheck = context -> {
        List<String> console = chromium.consoleSinceLastCall();
        if (context.getExecutionException().isPresent()) {
            Path shot = chromium.screenshot(Path.of("target", "browser-failures",
                    context.getRequiredTestMethod().getName() + ".png"));
            System.err.println("Screenshot: " + shot.toAbsolutePath() + "\nBrowser console:\n" + String.join("\n", console));
            return;
        }
        assertNoScriptErrors(console);
    };

    @BeforeAll
    static void start() throws IOException {
        api = new FakeStoreApi();
        chromium = HeadlessChromium.start();
        driver = chromium.driver();
    }

    @AfterAll
    static void stop() {
        try {
            if (chromium != null) chromium.close();
        } finally {
            if (api != null) api.close();
        }
    }

    @BeforeEach
    void freshPage() {
        api.reset();
        driver.get(api.baseUrl());
        js("localStorage.clear()");
        driver.get(api.baseUrl());
        assertNoScriptErrors(chromium.consoleSinceLastCall());
        api.reset();
    }

    // ------------------------------------------------------------------ token

    @Test
    void accountTokenIsSavedAndImpliesTheAccountId() {
        WebElement token = driver.findElement(testid("token"));
        token.sendKeys(TOKEN);
        WebElement account = driver.findElement(testid("account-id"));
        assertThat(account.getDomProperty("value")).isEqualTo("42");
        assertThat(account.getDomProperty("readOnly")).isEqualTo("true");

        driver.findElement(testid("save-token")).click();

        FakeStoreApi.Request list = awaitRequest("GET", LIST);
        assertThat(list.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(list.query()).doesNotContainKey("accountId");   // an account token may omit it
        assertThat(js("return localStorage.getItem('callhook.token')")).isEqualTo(TOKEN);
        await().until(d -> d.findElement(testid("session")).getText().contains("42"));

        // Kept across a reload: the page comes back signed in and lists again by itself.
        api.reset();
        driver.navigate().refresh();
        assertThat(driver.findElement(testid("token")).getDomProperty("value")).isEqualTo(TOKEN);
        assertThat(driver.findElement(testid("account-id")).getDomProperty("value")).isEqualTo("42");
        assertThat(awaitRequest("GET", LIST).authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void adminTokenNeedsAnAccountIdAndListsThatAccount() {
        driver.findElement(testid("token")).sendKeys(FakeStoreApi.ADMIN_TOKEN);
        assertThat(driver.findElement(testid("account-id")).getDomProperty("readOnly")).isEqualTo("false");
        driver.findElement(testid("save-token")).click();

        WebElement error = await().until(ExpectedConditions.visibilityOfElementLocated(testid("error")));
        assertThat(error.getText()).contains("номер аккаунта");
        assertThat(api.requests()).isEmpty();

        String id = api.seed(7, "CALLKEEPER", "https://seven.example.com/hook");
        driver.findElement(testid("account-id")).sendKeys("7");
        driver.findElement(testid("save-token")).click();

        FakeStoreApi.Request list = awaitRequest("GET", LIST);
        assertThat(list.authorization()).isEqualTo("Bearer " + FakeStoreApi.ADMIN_TOKEN);
        assertThat(list.query()).containsEntry("accountId", "7");
        await().until(ExpectedConditions.presenceOfElementLocated(row(id)));
        await().until(ExpectedConditions.invisibilityOfElementLocated(testid("error")));
        assertThat(js("return localStorage.getItem('callhook.accountId')")).isEqualTo("7");
    }

    @Test
    void aRefusedTokenIsShownReadably() {
        driver.findElement(testid("token")).sendKeys("not-a-valid-token");
        driver.findElement(testid("account-id")).sendKeys("42");
        driver.findElement(testid("save-token")).click();

        WebElement error = await().until(ExpectedConditions.visibilityOfElementLocated(testid("error")));
        await().until(d -> error.getText().contains("401"));
        assertThat(error.getText()).contains("missing or invalid bearer token");
    }

    // ------------------------------------------------------------------ add form

    @Test
    void addingACalltrackingSubscriptionPostsTheChosenSettings() {
        signIn();
        new Select(driver.findElement(testid("new-product"))).selectByValue("CALLTRACKING");
        assertThat(driver.findElement(testid("new-events")).isDisplayed()).isTrue();
        driver.findElement(testid("new-url")).sendKeys("https://crm.example.com/hooks/calls?src=callhook");
        new Select(driver.findElement(testid("new-events"))).selectByValue("ENDED");
        new Select(driver.findElement(testid("new-content-type"))).selectByValue("application/x-www-form-urlencoded");
        driver.findElement(testid("new-renames")).sendKeys("visit_info.udata.uag=user_agent\n\n  phone2 = client_phone  \n# a comment\n");
        driver.findElement(testid("new-params")).sendKeys("secret=shared=with=crm\nsource=callhook");
        driver.findElement(testid("add")).click();

        FakeStoreApi.Request post = awaitRequest("POST", LIST);
        assertThat(post.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(post.contentType()).startsWith("application/json");
        assertThat(post.json()).isEqualTo(Map.of(
                "accountId", ACCOUNT,
                "product", "CALLTRACKING",
                "url", "https://crm.example.com/hooks/calls?src=callhook",
                "events", List.of("ENDED"),
                "contentType", "application/x-www-form-urlencoded",
                "renames", Map.of("visit_info.udata.uag", "user_agent", "phone2", "client_phone"),
                "params", Map.of("secret", "shared=with=crm", "source", "callhook")));

        String id = onlySubscriptionId();
        await().until(ExpectedConditions.textToBe(inRow(id, "url"), "https://crm.example.com/hooks/calls?src=callhook"));
        assertThat(driver.findElement(testid("add-errors")).isDisplayed()).isFalse();
        assertThat(driver.findElement(testid("new-url")).getDomProperty("value")).isEmpty();

        // Both events, JSON, nothing renamed: no empty renames/params are sent.
        driver.findElement(testid("new-url")).sendKeys("https://crm.example.com/both");
        new Select(driver.findElement(testid("new-events"))).selectByValue("BOTH");
        new Select(driver.findElement(testid("new-content-type"))).selectByValue("application/json");
        driver.findElement(testid("add")).click();
        await().until(d -> api.requests("POST", LIST).size() == 2);
        assertThat(api.requests("POST", LIST).get(1).json()).isEqualTo(Map.of(
                "accountId", ACCOUNT,
                "product", "CALLTRACKING",
                "url", "https://crm.example.com/both",
                "events", List.of("STARTED", "ENDED"),
                "contentType", "application/json"));
    }

    @Test
    void addingACallkeeperSubscriptionPostsOnlyTheUrl() {
        signIn();
        assertThat(driver.findElement(testid("new-events")).isDisplayed()).isFalse();
        driver.findElement(testid("new-url")).sendKeys("https://crm.example.com/ck");
        driver.findElement(testid("add")).click();

        assertThat(awaitRequest("POST", LIST).json()).isEqualTo(Map.of(
                "accountId", ACCOUNT, "product", "CALLKEEPER", "url", "https://crm.example.com/ck"));
        String id = onlySubscriptionId();
        await().until(ExpectedConditions.textToBe(inRow(id, "sent"), "0"));
    }

    @Test
    void theApisProblemsAreListedNextToTheForm() {
        signIn();
        new Select(driver.findElement(testid("new-product"))).selectByValue("CALLTRACKING");
        driver.findElement(testid("new-url")).sendKeys("ftp://files.example.com/x");
        driver.findElement(testid("new-renames")).sendKeys("no.such.key=x\n<b>bold</b>=y");
        driver.findElement(testid("add")).click();

        awaitRequest("POST", LIST);
        await().until(d -> problems().size() == 3);
        assertThat(problems()).containsExactly(
                "url: must be an absolute http or https URL",
                "renames: no.such.key is not a documented key",
                "renames: <b>bold</b> is not a documented key");
        // Shown as text, never as markup.
        assertThat(driver.findElements(By.cssSelector("[data-testid='add-errors'] b"))).isEmpty();

        // A line the page cannot read is reported before anything is sent.
        WebElement renames = driver.findElement(testid("new-renames"));
        renames.clear();
        renames.sendKeys("phone2");
        driver.findElement(testid("add")).click();
        await().until(d -> problems().size() == 1);
        assertThat(problems().get(0)).startsWith("renames: ").contains("documented.path=new_name");
        assertThat(api.requests("POST", LIST)).hasSize(1);

        // Corrected, it goes through and the list clears.
        WebElement url = driver.findElement(testid("new-url"));
        url.clear();
        url.sendKeys("https://files.example.com/x");
        renames.clear();
        renames.sendKeys("phone2=client_phone");
        driver.findElement(testid("add")).click();
        await().until(ExpectedConditions.invisibilityOfElementLocated(testid("add-errors")));
        assertThat(api.requests("POST", LIST)).hasSize(2);
        await().until(ExpectedConditions.presenceOfElementLocated(row(onlySubscriptionId())));
    }

    // ------------------------------------------------------------------ the table

    @Test
    void theTableShowsTheAccountsRowsAndUpdatesTheSentCounterByItself() {
        String keeper = api.seed(ACCOUNT, "CALLKEEPER", "https://crm.example.com/keeper");
        api.setCounters(keeper, 2, 0, 200, "DELIVERED");
        String tracking = api.seed(ACCOUNT, "CALLTRACKING", "https://crm.example.com/tracking?q=<img src=x onerror=window.__xss=1>");
        api.set(tracking, "enabled", false);
        api.set(tracking, "disabledReason", "endpoint answered 410 Gone");
        String other = api.seed(7, "CALLKEEPER", "https://other-account.example.com/");
        signIn();

        await().until(d -> d.findElements(testid("subscription-row")).size() == 2);
        assertThat(driver.findElements(testid("subscription-row")))
                .extracting(e -> e.getDomAttribute("data-id")).containsExactly(keeper, tracking);
        assertThat(driver.findElements(row(other))).isEmpty();
        await().until(ExpectedConditions.textToBe(inRow(keeper, "sent"), "2"));
        assertThat(text(inRow(keeper, "url"))).isEqualTo("https://crm.example.com/keeper");
        assertThat(text(inRow(keeper, "failed"))).isEqualTo("0");
        assertThat(text(inRow(keeper, "last-status"))).isEqualTo("200");
        assertThat(text(inRow(tracking, "enabled"))).contains("отключена").contains("endpoint answered 410 Gone");
        assertThat(text(inRow(tracking, "url"))).isEqualTo("https://crm.example.com/tracking?q=<img src=x onerror=window.__xss=1>");
        assertThat(driver.findElements(By.cssSelector("[data-testid='subscriptions'] img"))).isEmpty();
        assertThat(js("return window.__xss === undefined")).isEqualTo(true);

        // Deliveries happen elsewhere; the page notices on its own.
        api.setCounters(keeper, 3, 1, 500, "RETRYING");
        await().until(ExpectedConditions.textToBe(inRow(keeper, "sent"), "3"));
        assertThat(text(inRow(keeper, "failed"))).isEqualTo("1");
        await().until(ExpectedConditions.textToBe(inRow(keeper, "last-status"), "500"));

        String added = api.seed(ACCOUNT, "CALLKEEPER", "https://crm.example.com/added-elsewhere");
        await().until(ExpectedConditions.presenceOfElementLocated(row(added)));
        api.remove(tracking);
        await().until(ExpectedConditions.numberOfElementsToBe(row(tracking), 0));
        assertThat(api.requests("GET", LIST).size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void sendTestWebhookCallsTheTestEndpoint() {
        String id = api.seed(ACCOUNT, "CALLKEEPER", "https://crm.example.com/keeper");
        signIn();
        await().until(ExpectedConditions.presenceOfElementLocated(row(id))).findElement(testid("send-test")).click();

        FakeStoreApi.Request test = awaitRequest("POST", LIST + "/" + id + "/test");
        assertThat(test.authorization()).isEqualTo("Bearer " + TOKEN);
        await().until(ExpectedConditions.textToBePresentInElementLocated(inRow(id, "row-message"), "9007199254"));
    }

    @Test
    void theAttemptLogShowsRowsNewestFirstAndKeepsRefreshing() {
        String id = api.seed(ACCOUNT, "CALLTRACKING", "https://crm.example.com/tracking");
        api.addAttempt(id, FakeStoreApi.attempt("msg_1", 1, "2026-11-23T09:16:00Z", "RETRYING", 503, 120,
                "HTTP_STATUS", "503 Service Unavailable", "<h1>busy</h1>", 1001, "ENDED", false));
        api.addAttempt(id, FakeStoreApi.attempt("msg_1", 2, "2026-11-23T09:16:05Z", "DELIVERED", 200, 41,
                null, null, "ok", 1001, "ENDED", false));
        signIn();
        await().until(ExpectedConditions.presenceOfElementLocated(row(id))).findElement(testid("show-attempts")).click();

        await().until(d -> attemptRows(id).size() == 2);
        FakeStoreApi.Request request = awaitRequest("GET", LIST + "/" + id + "/attempts");
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
        api.addAttempt(id, FakeStoreApi.attempt("msg_test", 1, "2026-11-23T09:17:00Z", "DELIVERED", 204, 12,
                null, null, "", 9_007_199_254L, "STARTED", true));
        await().until(d -> attemptRows(id).size() == 3);
        WebElement newest = attemptRows(id).get(0);
        assertThat(cell(newest, "attempt-time")).isEqualTo("2026-11-23 09:17:00 UTC");
        assertThat(newest.findElements(testid("attempt-test"))).hasSize(1);

        driver.findElement(row(id)).findElement(testid("show-attempts")).click();
        await().until(d -> !d.findElement(row(id)).findElement(testid("attempts")).isDisplayed());
    }

    @Test
    void theSecretIsShownAndHiddenOnDemand() {
        String id = api.seed(ACCOUNT, "CALLKEEPER", "https://crm.example.com/keeper");
        String secret = (String) api.subscription(id).get("secret");
        signIn();
        WebElement row = await().until(ExpectedConditions.presenceOfElementLocated(row(id)));
        assertThat(row.findElements(testid("secret"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain(secret);

        assertThat(api.requests()).as("nothing asks for the secret before the button is pressed")
                .noneMatch(request -> request.path().endsWith("/secret"));

        row.findElement(testid("show-secret")).click();
        await().until(ExpectedConditions.textToBe(inRow(id, "secret"), secret));
        assertThat(secret).startsWith("whsec_");
        assertThat(api.requests("GET", "/api/v1/subscriptions/" + id + "/secret")).as("asked for on the press").hasSize(1);

        row.findElement(testid("show-secret")).click();
        await().until(ExpectedConditions.numberOfElementsToBe(inRow(id, "secret"), 0));
        assertThat(driver.getPageSource()).as("not kept once hidden").doesNotContain(secret);
    }

    @Test
    void deleteAsksForConfirmationFirst() {
        String id = api.seed(ACCOUNT, "CALLKEEPER", "https://crm.example.com/doomed");
        signIn();
        await().until(ExpectedConditions.presenceOfElementLocated(row(id))).findElement(testid("delete")).click();

        Alert confirm = await().until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains("https://crm.example.com/doomed");
        confirm.dismiss();
        assertThat(driver.findElements(row(id))).hasSize(1);
        assertThat(api.requests("DELETE", LIST + "/" + id)).isEmpty();

        driver.findElement(row(id)).findElement(testid("delete")).click();
        await().until(ExpectedConditions.alertIsPresent()).accept();

        FakeStoreApi.Request delete = awaitRequest("DELETE", LIST + "/" + id);
        assertThat(delete.authorization()).isEqualTo("Bearer " + TOKEN);
        await().until(ExpectedConditions.numberOfElementsToBe(row(id), 0));
        assertThat(api.subscription(id)).isNull();
        await().until(ExpectedConditions.visibilityOfElementLocated(testid("no-subscriptions")));
    }

    // ------------------------------------------------------------------ helpers

    /** Uncaught errors, console.error and CSP violations; the browser's "Failed to load resource" for 4xx is expected. */
    private static void assertNoScriptErrors(List<String> console) {
        assertThat(console)
                .as("browser console errors")
                .filteredOn(line -> line.startsWith("SEVERE") && !line.contains("Failed to load resource"))
                .isEmpty();
    }

    private static void signIn() {
        driver.findElement(testid("token")).sendKeys(TOKEN);
        driver.findElement(testid("save-token")).click();
        awaitRequest("GET", LIST);
    }

    private static WebDriverWait await() {
        return chromium.await(Duration.ofSeconds(10));
    }

    private static FakeStoreApi.Request awaitRequest(String method, String path) {
        await().withMessage(method + " " + path + " never reached the fake API")
                .until(d -> !api.requests(method, path).isEmpty());
        return api.requests(method, path).get(0);
    }

    private static String onlySubscriptionId() {
        List<FakeStoreApi.Request> posts = api.requests("POST", LIST);
        assertThat(posts).isNotEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = (Map<String, Object>) posts.get(posts.size() - 1).json();
        // The fake numbers subscriptions from sub_fake1 on; find the one with the URL that was posted.
        for (int n = 1; n <= 10; n++) {
            Map<String, Object> sub = api.subscription("sub_fake" + n);
            if (sub != null && sub.get("url").equals(sent.get("url"))) return "sub_fake" + n;
        }
        throw new AssertionError("the fake holds no subscription for " + sent.get("url"));
    }

    private static List<String> problems() {
        return driver.findElements(By.cssSelector("[data-testid='add-errors'] li")).stream().map(WebElement::getText).toList();
    }

    private static List<WebElement> attemptRows(String id) {
        return driver.findElement(row(id)).findElements(By.cssSelector("[data-testid='attempts'] [data-testid='attempt-row']"));
    }

    private static String cell(WebElement attemptRow, String testid) {
        return attemptRow.findElement(testid(testid)).getText();
    }

    private static String text(By by) {
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

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }
}
