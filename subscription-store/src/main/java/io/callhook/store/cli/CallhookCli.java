package io.callhook.store.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * {@code callhook-cli}: the top command, holding the options every subcommand shares.
 *
 * <p>{@code --json} and {@code --token} may also follow a subcommand; {@code --url} must come
 * before it, since {@code create} and {@code update} have a {@code --url} of their own.
 * Values not given fall back to the environment ({@code CALLHOOK_STORE_URL}, {@code
 * CALLHOOK_TOKEN}), which is passed in so tests need not change the real one.
 */
@Command(name = "callhook-cli",
        description = "Client of the Callhook subscription store's HTTP API.",
        subcommands = {SubscriptionsCommand.class, DeadLettersCommand.class, TokenCommand.class},
        footer = {"", "Exit codes: 0 ok; 1 store unreachable or server error; 2 usage error;"
                + " 3 request refused (4xx)."})
public final class CallhookCli {

    static final String URL_ENV = "CALLHOOK_STORE_URL";
    static final String TOKEN_ENV = "CALLHOOK_TOKEN";
    static final String DEFAULT_URL = "http://127.0.0.1:8480";

    private final Map<String, String> env;

    // Not inherited, unlike the others: `subscriptions create --url` is the webhook's URL.
    @Option(names = "--url", paramLabel = "URL",
            description = "Subscription store base URL (env " + URL_ENV + ", default " + DEFAULT_URL
                    + "). Give it before the subcommand.")
    String url;

    // Prefer the environment: a token on the command line shows in `ps` and shell history.
    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "Bearer token, admin or account (env " + TOKEN_ENV + "). Never printed.")
    String token;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the server's JSON instead of tables.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    boolean help;

    /** A CLI reading defaults from the process environment. */
    public CallhookCli() {
        this(System.getenv());
    }

    /** A CLI reading defaults from the given environment. */
    CallhookCli(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Runs the CLI and exits with its code; the only place that exits. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CallhookCli()).execute(args));
    }

    boolean json() {
        return json;
    }

    Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    /**
     * The client for the chosen store and token.
     *
     * @param spec the running command, to report a bad URL or token as a usage error
     */
    StoreClient client(CommandSpec spec) {
        return new StoreClient(baseUri(spec), bearerToken(spec));
    }

    private URI baseUri(CommandSpec spec) {
        String raw = url != null ? url : env(URL_ENV).orElse(DEFAULT_URL);
        String source = url != null ? "--url" : URL_ENV;
        try {
            URI uri = new URI(raw.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getRawUserInfo() != null) {
                // Not echoed: it holds a password, which the client would not send anyway.
                throw new ParameterException(spec.commandLine(),
                        source + ": the store URL must not carry a user name or password; use --token");
            }
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException invalid) {
            // reported below, with the same message as any other unusable URL
        }
        throw new ParameterException(spec.commandLine(),
                source + ": '" + raw + "' is not an http or https URL such as " + DEFAULT_URL);
    }

    private Optional<String> bearerToken(CommandSpec spec) {
        Optional<String> chosen = token != null ? Optional.of(token.strip()).filter(t -> !t.isEmpty()) : env(TOKEN_ENV);
        // A header cannot carry control characters or spaces; say so without echoing the token.
        if (chosen.isPresent() && !chosen.get().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ParameterException(spec.commandLine(),
                    "the token contains spaces or characters that cannot go in an HTTP header");
        }
        return chosen;
    }
}
