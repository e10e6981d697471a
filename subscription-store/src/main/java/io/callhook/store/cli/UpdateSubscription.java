package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code subscriptions update ID ...}: {@code PATCH /subscriptions/{id}} with only the fields
 * given, so everything else stays as it is. A map option replaces the whole map; {@code --clear}
 * empties one, since no {@code name=value} could.
 */
@Command(name = "update", description = "Change a subscription: only the options given are changed (PATCH).")
final class UpdateSubscription extends SubscriptionCommand {

    /** Fields {@code --clear} can empty; lower case because picocli takes the constant names as the values typed. */
    enum Clearable { renames, params, headers, rate_limit }

    @Option(names = "--url", paramLabel = "URL", description = "New webhook URL.")
    String url;

    @Mixin
    DeliveryOptions delivery;

    @Option(names = "--enable", description = "Enable the subscription (e.g. after the receiver answered 410).")
    boolean enable;

    @Option(names = "--disable", description = "Disable the subscription; waiting webhooks are dropped.")
    boolean disable;

    @Option(names = "--clear", paramLabel = "FIELD", split = ",",
            description = "Empty renames, params or headers, or remove the rate limit (rate_limit). Comma-separated.")
    Set<Clearable> clear = EnumSet.noneOf(Clearable.class);

    @Override
    ApiRequest request() {
        checkOptions();
        ObjectNode body = Json.object();
        if (url != null) {
            body.put("url", url);
        }
        delivery.writeTo(body);
        if (enable || disable) {
            body.put("enabled", enable);
        }
        clear.forEach(field -> {
            switch (field) {
                case renames -> body.putObject("renames");
                case params -> body.putObject("params");
                case headers -> body.putObject("headers");
                case rate_limit -> body.putNull("rateLimit");
            }
        });
        return ApiRequest.patch(subscriptionPath(id), body);
    }

    private void checkOptions() {
        if (url == null && delivery.isEmpty() && !enable && !disable && clear.isEmpty()) {
            throw usage("nothing to change: give at least one option");
        }
        if (enable && disable) {
            throw usage("--enable and --disable exclude each other");
        }
        if ((clear.contains(Clearable.renames) && delivery.renames != null)
                || (clear.contains(Clearable.params) && delivery.params != null)
                || (clear.contains(Clearable.headers) && delivery.headers != null)
                || (clear.contains(Clearable.rate_limit) && delivery.rateLimit != null)) {
            throw usage("--clear of a field cannot be combined with setting it");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        SubscriptionTables.printDetail(answer, out);
    }
}
