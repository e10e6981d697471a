package io.callhook.store.cli;

import io.callhook.store.api.AccountTokens;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code token --account ID [--key KEY]}: mints an account token offline with {@link
 * AccountTokens}; no store is contacted. Prints only the token, so {@code $(callhook-cli token ...)}
 * works in scripts.
 */
@Command(name = "token", description = "Mint an account token offline (ak_<account>_<signature>), as the store verifies it.")
final class TokenCommand implements Callable<Integer> {

    static final String KEY_ENV = "CALLHOOK_STORE_TOKEN_KEY";

    @Spec
    CommandSpec spec;

    @Option(names = "--account", paramLabel = "ID", required = true, description = "Account id.")
    long account;

    // The environment is the better place: a key on the command line shows in `ps` and shell history.
    @Option(names = "--key", paramLabel = "KEY", description = "Token key, the store's callhook.store.token-key (env " + KEY_ENV + ").")
    String key;

    @Override
    public Integer call() {
        CallhookCli cli = (CallhookCli) spec.root().userObject();
        String chosen = key != null ? key : cli.env(KEY_ENV).orElse("");
        if (chosen.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no token key: give --key or set " + KEY_ENV);
        }
        if (account < 1) {
            throw new ParameterException(spec.commandLine(), "--account must be a positive account id");
        }
        spec.commandLine().getOut().println(AccountTokens.mint(chosen, account));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
