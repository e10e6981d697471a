package io.callhook.store.cli;

import static io.callhook.store.cli.CliRunner.run;
import static io.callhook.store.cli.CliRunner.runWithToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.store.cli.CliRunner.Result;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Exit codes and stderr when the store refuses, fails or cannot be reached; stdout stays empty. */
class FailureMessagesTest {

    private static final String TOKEN = "ak_42_do-not-print-me";

    @RegisterExtension
    final FakeStore store = FakeStore.start();

    private Result cli(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "subscriptions";
        System.arraycopy(args, 0, all, 1, args.length);
        return runWithToken(store.url(), TOKEN, all);
    }

    @Test
    void badRequestPrintsTheErrorAndEveryProblemOnePerLine() {
        store.answer("POST", "/api/v1/subscriptions", 400, Canned.INVALID);

        Result result = cli("create", "--account", "42", "--product", "CALLTRACKING", "--url", "ftp://x");

        assertThat(result.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("""
                callhook-cli: invalid subscription (HTTP 400)
                  url: must be an absolute http or https URL
                  events: must not be empty
                """);
    }

    @Test
    void unauthorisedIsRefusedWithAHintAboutTheToken() {
        store.answer("GET", "/api/v1/subscriptions", 401, "{\"error\": \"missing or invalid bearer token\"}");

        Result result = cli("list");

        assertThat(result.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(result.err()).isEqualTo("""
                callhook-cli: missing or invalid bearer token (HTTP 401)
                  give a token with --token or CALLHOOK_TOKEN
                """);
    }

    @Test
    void notFoundIsRefused() {
        store.answer("GET", "/api/v1/subscriptions/sub_x", 404, "{\"error\": \"subscription sub_x not found\"}");

        Result result = cli("get", "sub_x");

        assertThat(result.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("callhook-cli: subscription sub_x not found (HTTP 404)\n");
    }

    @Test
    void refusalsGoToStderrEvenWithJson() {
        store.answer("GET", "/api/v1/subscriptions/sub_x", 404, "{\"error\": \"subscription sub_x not found\"}");

        Result result = cli("get", "sub_x", "--json");

        assertThat(result.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("subscription sub_x not found");
    }

    @Test
    void aRefusalWithoutJsonShowsTheBody() {
        store.answer("POST", "/api/v1/subscriptions/sub_x/test", 413, "body too large");

        Result result = cli("test", "sub_x");

        assertThat(result.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(result.err()).isEqualTo("callhook-cli: body too large (HTTP 413)\n");
    }

    @Test
    void serverErrorExitsOneNamingTheUrl() {
        store.answer("GET", "/api/v1/subscriptions/sub_x", 503, "{\"error\": \"kafka unavailable\"}");

        Result result = cli("get", "sub_x");

        assertThat(result.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.err()).isEqualTo("callhook-cli: the subscription store at " + store.url()
                + "/api/v1/subscriptions/sub_x answered HTTP 503: kafka unavailable\n");
    }

    @Test
    void successWithABodyThatIsNotJsonIsAFailure() {
        store.answer("GET", "/api/v1/subscriptions/sub_x", 200, "<html>login</html>");

        Result result = cli("get", "sub_x");

        assertThat(result.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.err()).contains("answered HTTP 200 with a body that is not JSON: <html>login</html>");
    }

    @Test
    void unreachableStoreExitsOneNamingTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Result result = run("--url", "http://127.0.0.1:" + closedPort, "--token", TOKEN, "subscriptions", "get", "sub_x");

        assertThat(result.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("callhook-cli: cannot reach the subscription store at http://127.0.0.1:"
                + closedPort + "/api/v1/subscriptions/sub_x: connection refused\n");
        assertThat(result.all()).doesNotContain(TOKEN);
    }

    @Test
    void serverTextIsMadeSafeForATerminal() {
        store.answer("GET", "/api/v1/subscriptions/sub_x", 404, "{\"error\": \"no \\u001b[31mred\\u202e\"}");

        Result result = cli("get", "sub_x");

        assertThat(result.err()).isEqualTo("callhook-cli: no \\u001b[31mred\\u202e (HTTP 404)\n");
    }
}
