package io.callhook.store.cli;

import static io.callhook.store.cli.CliRunner.runWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.store.cli.CliRunner.Result;
import io.callhook.store.cli.FakeStore.Recorded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every {@code subscriptions} command against a fake store: what it sends and what it prints. */
class SubscriptionCommandsTest {

    private static final String TOKEN = "ak_42_test-token-value";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    final FakeStore store = FakeStore.start();

    private Result cli(String... args) {
        return runWithToken(store.url(), TOKEN, args);
    }

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void listSendsTheAccountAndTokenAndPrintsAnAlignedTable() {
        store.answer("GET", "/api/v1/subscriptions", 200, Canned.LIST);

        Result result = cli("subscriptions", "list", "--account", "42");

        assertThat(result.code()).isZero();
        Recorded request = store.onlyRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/api/v1/subscriptions");
        assertThat(request.rawQuery()).isEqualTo("accountId=42");
        assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(result.out()).isEqualTo("""
                ID        PRODUCT       URL                                  EVENTS         SENT  FAILED  ENABLED
                sub_3xq8  CALLKEEPER    https://crm.example.com/hooks/calls  STARTED,ENDED  2     0       yes
                sub_9     CALLTRACKING  http://x.example/h                   ENDED          1234  15      no
                """);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void listWithoutAccountSendsNoQuery() {
        store.answer("GET", "/api/v1/subscriptions", 200, "{\"subscriptions\": []}");

        Result result = cli("subscriptions", "list");

        assertThat(result.code()).isZero();
        assertThat(store.onlyRequest().rawQuery()).isNull();
        assertThat(result.out()).isEqualTo("ID  PRODUCT  URL  EVENTS  SENT  FAILED  ENABLED\n");
    }

    @Test
    void jsonPrintsTheServersBodyAsItCame() {
        store.answer("GET", "/api/v1/subscriptions", 200, Canned.LIST);

        Result before = cli("--json", "subscriptions", "list", "--account", "42");
        Result after = cli("subscriptions", "list", "--account", "42", "--json");

        assertThat(before.code()).isZero();
        assertThat(before.out()).isEqualTo(Canned.LIST);
        assertThat(after.out()).as("--json may follow the subcommand").isEqualTo(Canned.LIST);
    }

    @Test
    void getEncodesTheIdAndPrintsEveryField() {
        store.answer("GET", "/api/v1/subscriptions/sub_3xq8", 200, Canned.SUBSCRIPTION_VIEW);

        Result result = cli("subscriptions", "get", "sub_3xq8");

        assertThat(result.code()).isZero();
        assertThat(store.onlyRequest().method()).isEqualTo("GET");
        assertThat(result.out()).isEqualTo("""
                id           sub_3xq8
                accountId    42
                product      CALLTRACKING
                url          https://crm.example.com/hooks/calls
                method       POST
                contentType  application/json
                events       STARTED,ENDED
                renames      visit_info.udata.uag=user_agent
                params       secret=shared-with-crm
                headers      X-Api-Key=k-123
                rateLimit    none
                enabled      yes
                createdAt    2026-11-23T09:15:30Z
                updatedAt    2026-11-23T09:15:30Z
                sent         2
                failed       0
                lastAttempt  2026-11-23T09:16:01Z DELIVERED (status 200)
                """);
    }

    @Test
    void secretAsksForTheSecretOnly() {
        store.answer("GET", "/api/v1/subscriptions/sub_3xq8/secret", 200, Canned.SECRET);

        Result result = cli("subscriptions", "secret", "sub_3xq8");

        assertThat(result.code()).isZero();
        assertThat(store.onlyRequest().method()).isEqualTo("GET");
        assertThat(result.out()).isEqualTo("""
                secret                   whsec_c2VjcmV0
                previousSecretExpiresAt  2026-11-24T09:15:30Z
                """);
    }

    @Test
    void anIdCannotEscapeItsPathSegment() {
        Result result = cli("subscriptions", "get", "../dead-letters?x=1 y");

        assertThat(result.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(store.onlyRequest().path()).isEqualTo("/api/v1/subscriptions/..%2Fdead-letters%3Fx%3D1%20y");
        assertThat(store.onlyRequest().rawQuery()).isNull();
    }

    @Test
    void createSendsOnlyTheGivenFieldsWithApiNames() throws Exception {
        store.answer("POST", "/api/v1/subscriptions", 201, Canned.SUBSCRIPTION);

        Result result = cli("subscriptions", "create", "--account", "42", "--product", "CALLTRACKING",
                "--url", "https://crm.example.com/hooks/calls", "--method", "PUT", "--content-type", "form",
                "--events", "STARTED,ENDED", "--rename", "visit_info.udata.uag=user_agent",
                "--param", "secret=a=b", "--param", "source=callhook", "--header", "X-Api-Key=k-123",
                "--rate-limit", "5");

        assertThat(result.code()).isZero();
        Recorded request = store.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/subscriptions");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(json(request.body())).isEqualTo(json("""
                {"accountId": 42, "product": "CALLTRACKING", "url": "https://crm.example.com/hooks/calls",
                 "method": "PUT", "contentType": "application/x-www-form-urlencoded", "events": ["STARTED", "ENDED"],
                 "renames": {"visit_info.udata.uag": "user_agent"}, "params": {"secret": "a=b", "source": "callhook"},
                 "headers": {"X-Api-Key": "k-123"}, "rateLimit": 5}
                """));
        assertThat(result.out()).contains("secret       whsec_c2VjcmV0");
    }

    @Test
    void createWithOnlyTheRequiredOptionsLeavesTheRestToTheStore() throws Exception {
        store.answer("POST", "/api/v1/subscriptions", 201, Canned.SUBSCRIPTION);

        Result result = cli("subscriptions", "create", "--account", "42", "--product", "CALLKEEPER",
                "--url", "https://crm.example.com/hooks/calls");

        assertThat(result.code()).isZero();
        assertThat(json(store.onlyRequest().body())).isEqualTo(json("""
                {"accountId": 42, "product": "CALLKEEPER", "url": "https://crm.example.com/hooks/calls"}
                """));
    }

    @Test
    void updatePatchesOnlyWhatWasGiven() throws Exception {
        store.answer("PATCH", "/api/v1/subscriptions/sub_3xq8", 200, Canned.SUBSCRIPTION);

        Result result = cli("subscriptions", "update", "sub_3xq8", "--url", "https://new.example.com/h",
                "--events", "ENDED", "--disable");

        assertThat(result.code()).isZero();
        Recorded request = store.onlyRequest();
        assertThat(request.method()).isEqualTo("PATCH");
        assertThat(request.path()).isEqualTo("/api/v1/subscriptions/sub_3xq8");
        assertThat(json(request.body())).isEqualTo(json("""
                {"url": "https://new.example.com/h", "events": ["ENDED"], "enabled": false}
                """));
        assertThat(result.out()).startsWith("id           sub_3xq8\n");
    }

    @Test
    void updateClearSendsEmptyMapsAndANullRateLimit() throws Exception {
        store.answer("PATCH", "/api/v1/subscriptions/sub_3xq8", 200, Canned.SUBSCRIPTION);

        Result result = cli("subscriptions", "update", "sub_3xq8", "--clear", "params,rate_limit", "--clear", "headers",
                "--rename", "a.b=c", "--enable");

        assertThat(result.code()).isZero();
        assertThat(json(store.onlyRequest().body())).isEqualTo(json("""
                {"params": {}, "headers": {}, "rateLimit": null, "renames": {"a.b": "c"}, "enabled": true}
                """));
    }

    @Test
    void deleteSendsDeleteAndConfirms() {
        store.answer("DELETE", "/api/v1/subscriptions/sub_3xq8", 204, "");

        Result result = cli("subscriptions", "delete", "sub_3xq8");
        Result json = cli("--json", "subscriptions", "delete", "sub_3xq8");

        assertThat(result.code()).isZero();
        assertThat(store.requests()).extracting(Recorded::method).containsExactly("DELETE", "DELETE");
        assertThat(result.out()).isEqualTo("Deleted subscription sub_3xq8\n");
        assertThat(json.out()).as("a 204 has no JSON to pass through").isEmpty();
    }

    @Test
    void rotateSecretSendsTheGraceInSeconds() throws Exception {
        store.answer("POST", "/api/v1/subscriptions/sub_3xq8/rotate-secret", 200, Canned.SUBSCRIPTION);

        Result result = cli("subscriptions", "rotate-secret", "sub_3xq8", "--grace", "24h");
        Result withoutGrace = cli("subscriptions", "rotate-secret", "sub_3xq8");

        assertThat(result.code()).isZero();
        assertThat(withoutGrace.code()).isZero();
        assertThat(store.requests()).extracting(Recorded::method).containsOnly("POST");
        assertThat(json(store.requests().get(0).body())).isEqualTo(json("{\"graceSeconds\": 86400}"));
        assertThat(json(store.requests().get(1).body())).isEqualTo(json("{}"));
        assertThat(result.out()).contains("secret       whsec_c2VjcmV0");
    }

    @Test
    void testPostsWithoutABodyAndSaysWhatWasQueued() {
        store.answer("POST", "/api/v1/subscriptions/sub_3xq8/test", 202,
                "{\"testCallId\": 9007199254, \"events\": [\"STARTED\", \"ENDED\"]}");

        Result result = cli("subscriptions", "test", "sub_3xq8");

        assertThat(result.code()).isZero();
        assertThat(store.onlyRequest().method()).isEqualTo("POST");
        assertThat(store.onlyRequest().body()).isEmpty();
        assertThat(result.out()).startsWith(
                "Test call 9007199254 queued for subscription sub_3xq8 (events STARTED,ENDED).\n");
    }

    @Test
    void attemptsSendsTheLimitAndPrintsNewestFirst() {
        store.answer("GET", "/api/v1/subscriptions/sub_3xq8/attempts", 200, Canned.ATTEMPTS);

        Result result = cli("subscriptions", "attempts", "sub_3xq8", "--limit", "10");

        assertThat(result.code()).isZero();
        assertThat(store.onlyRequest().rawQuery()).isEqualTo("limit=10");
        assertThat(result.out()).isEqualTo("""
                STARTED               ATTEMPT  #  CALL         PHASE  OUTCOME    STATUS  MS    DETAIL
                2026-11-23T09:16:01Z  msg_1/2  2  1001         ENDED  DELIVERED  200     41    ok
                2026-11-23T09:16:00Z  msg_1/1  1  1001 (test)  ENDED  RETRYING   -       5000  TIMEOUT: no answer in 5s
                Older attempts: add --before 9223370272346159807/msg_1/1
                """);
    }

    @Test
    void attemptsAsksForTheNextPageAndFilters() {
        store.answer("GET", "/api/v1/subscriptions/sub_3xq8/attempts", 200, Canned.ATTEMPTS);

        Result result = cli("subscriptions", "attempts", "sub_3xq8", "--before", "9223370272346159807/msg_1/1",
                "--outcome", "RETRYING", "--call-id", "1001");

        assertThat(result.code()).isZero();
        assertThat(store.onlyRequest().rawQuery())
                .isEqualTo("before=9223370272346159807%2Fmsg_1%2F1&callId=1001&outcome=RETRYING");
    }

    @Test
    void resendPostsToTheAttemptWithItsIdAsOneSegment() {
        store.answer("POST", "/api/v1/subscriptions/sub_3xq8/attempts/msg_1%2F2/resend", 202, Canned.RESEND);

        Result result = cli("subscriptions", "resend", "sub_3xq8", "msg_1/2");

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(store.onlyRequest().method()).isEqualTo("POST");
        assertThat(result.out()).startsWith("Webhook msg_1 queued again; its attempts' ids start with msg_1/resend_0a1b2c3d4e5f/.\n");
    }
}
