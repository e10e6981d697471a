package io.callhook.store.cli;

import static io.callhook.store.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.store.cli.CliRunner.Result;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad command lines exit 2 without calling the store. */
class UsageErrorsTest {

    @RegisterExtension
    final FakeStore store = FakeStore.start();

    private Result cli(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--url";
        all[1] = store.url();
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "subscriptions",
        "subscriptions nope",
        "subscriptions get",
        "subscriptions create --account 42 --product CALLKEEPER",
        "subscriptions create --account 42 --product VOIP --url https://x.example",
        "subscriptions create --account x --product CALLKEEPER --url https://x.example",
        "subscriptions create --account 42 --product CALLTRACKING --url https://x.example --content-type xml",
        "subscriptions create --account 42 --product CALLTRACKING --url https://x.example --events STARTED,HELD",
        "subscriptions create --account 42 --product CALLTRACKING --url https://x.example --param novalue",
        "subscriptions update sub_1",
        "subscriptions update sub_1 --enable --disable",
        "subscriptions update sub_1 --clear params --param a=b",
        "subscriptions update sub_1 --clear everything",
        "subscriptions rotate-secret sub_1 --grace 24",
        "subscriptions attempts sub_1 --limit many",
        "dead-letters list",
        "dead-letters replay --subscription s --from yesterday",
        "subscriptions list --url http://elsewhere"
    })
    void exitsTwoAndSendsNothing(String args) {
        Result result = cli(args.isEmpty() ? new String[0] : args.split(" "));

        assertThat(result.code()).as(result.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).isNotEmpty();
        assertThat(store.requests()).isEmpty();
    }

    @Test
    void anEmptyIdIsAUsageError() {
        Result result = cli("subscriptions", "get", " ");

        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("the subscription id is empty");
        assertThat(store.requests()).isEmpty();
    }

    @Test
    void aStoreUrlThatIsNotHttpIsAUsageError() {
        Result result = run("--url", "ftp://store", "subscriptions", "list");

        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--url: 'ftp://store' is not an http or https URL");
    }

    @Test
    void aStoreUrlWithCredentialsIsRefusedWithoutEchoingThem() {
        Result result = run(Map.of("CALLHOOK_STORE_URL", "http://ops:hunter2@store:8480"), "subscriptions", "list");

        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("CALLHOOK_STORE_URL: the store URL must not carry a user name or password");
        assertThat(result.all()).doesNotContain("hunter2");
    }

    @Test
    void aTokenThatCannotBeAHeaderIsRefusedWithoutEchoingIt() {
        Result result = cli("--token", "abc def-secret", "subscriptions", "list");

        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("the token contains spaces");
        assertThat(result.all()).doesNotContain("def-secret");
        assertThat(store.requests()).isEmpty();
    }

    @Test
    void helpExitsZeroAndListsTheCommands() {
        Result result = run("--help");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("subscriptions", "dead-letters", "token", "Exit codes");
    }
}
