package io.callhook.store.cli;

import static io.callhook.store.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.store.cli.CliRunner.Result;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code callhook-cli token}: offline, prints only the token. */
class TokenCommandTest {

    private static final String KNOWN = "ak_42_eVUHT1EWnx9kBT2LLEA9f0HufKTz-f4ce4T5EIPyxQo";

    @Test
    void mintsFromTheKeyOption() {
        Result result = run("token", "--account", "42", "--key", "k");

        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo(KNOWN + "\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void mintsFromTheKeyInTheEnvironment() {
        Result result = run(Map.of("CALLHOOK_STORE_TOKEN_KEY", "k"), "token", "--account", "42");

        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo(KNOWN + "\n");
    }

    @Test
    void theOptionWinsOverTheEnvironment() {
        Result result = run(Map.of("CALLHOOK_STORE_TOKEN_KEY", "other"), "token", "--account", "42", "--key", "k");

        assertThat(result.out()).isEqualTo(KNOWN + "\n");
    }

    @Test
    void withoutAKeyItIsAUsageError() {
        Result result = run("token", "--account", "42");

        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("no token key: give --key or set CALLHOOK_STORE_TOKEN_KEY");
    }

    @Test
    void aNonPositiveAccountIsAUsageError() {
        Result result = run("token", "--account", "0", "--key", "k");

        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void runsThroughThePublicConstructorAsMainDoes() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new CallhookCli());
        cli.setOut(new PrintWriter(out));

        int code = cli.execute("token", "--account", "42", "--key", "k");

        assertThat(code).isZero();
        assertThat(out).hasToString(KNOWN + "\n");
    }
}
