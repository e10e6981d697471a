package io.callhook.store.cli;

import static io.callhook.store.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.store.cli.CliRunner.Result;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where the store URL and the token come from: option, then environment, then default. */
class GlobalOptionsTest {

    private FakeStore store;

    @BeforeEach
    void start() throws Exception {
        store = FakeStore.start().answer("GET", "/api/v1/subscriptions", 200, "{\"subscriptions\": []}");
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void theDefaultStoreIsLocalPort8480() {
        assertThat(CallhookCli.DEFAULT_URL).isEqualTo("http://127.0.0.1:8480");
    }

    @Test
    void urlAndTokenComeFromTheEnvironment() {
        Result result = run(Map.of("CALLHOOK_STORE_URL", store.url(), "CALLHOOK_TOKEN", "env-token\n"),
                "subscriptions", "list");

        assertThat(result.code()).isZero();
        assertThat(store.onlyRequest().authorization()).isEqualTo("Bearer env-token");
        assertThat(result.all()).doesNotContain("env-token");
    }

    @Test
    void optionsWinOverTheEnvironment() {
        Result result = run(Map.of("CALLHOOK_STORE_URL", "http://127.0.0.1:1", "CALLHOOK_TOKEN", "env-token"),
                "--url", store.url(), "subscriptions", "list", "--token", "option-token");

        assertThat(result.code()).isZero();
        assertThat(store.onlyRequest().authorization()).isEqualTo("Bearer option-token");
    }

    @Test
    void withoutATokenNoAuthorizationIsSent() {
        Result result = run("--url", store.url(), "subscriptions", "list");

        assertThat(result.code()).isZero();
        assertThat(store.onlyRequest().authorization()).isNull();
    }

    @Test
    void aPathPrefixInTheStoreUrlIsKept() {
        store.answer("GET", "/store/api/v1/subscriptions", 200, "{\"subscriptions\": []}");

        Result result = run("--url", store.url() + "/store/", "subscriptions", "list");

        assertThat(result.code()).isZero();
        assertThat(store.onlyRequest().path()).isEqualTo("/store/api/v1/subscriptions");
    }
}
