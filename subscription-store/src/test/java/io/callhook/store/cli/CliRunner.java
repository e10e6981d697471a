package io.callhook.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code callhook-cli} in-process with a given environment, capturing stdout and stderr. */
final class CliRunner {

    /** What one run left behind. */
    record Result(int code, String out, String err) {

        /** Both streams, for checks that something appears nowhere. */
        String all() {
            return out + err;
        }
    }

    private CliRunner() {
    }

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new CallhookCli(env));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    /**
     * Runs against {@code url} with {@code token}, and checks that the token shows in neither
     * stream, whatever the run did: a secret printed on failure is a leak too.
     */
    static Result runWithToken(String url, String token, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--url";
        all[1] = url;
        all[2] = "--token";
        all[3] = token;
        System.arraycopy(args, 0, all, 4, args.length);
        Result result = run(all);
        assertThat(result.all()).as("output of a run with a token").doesNotContain(token);
        return result;
    }
}
