package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code subscriptions secret ID}: {@code GET /subscriptions/{id}/secret}. The only command that
 * shows a subscription's signing secret besides {@code create} and {@code rotate-secret}.
 */
@Command(name = "secret", description = "Show a subscription's current signing secret (the receiver verifies webhooks with it).")
final class ShowSecret extends SubscriptionCommand {

    @Override
    ApiRequest request() {
        return ApiRequest.get(subscriptionPath(id, "secret"), Map.of());
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        Table table = Table.keyValues().row("secret", Json.text(answer, "secret"));
        if (answer.hasNonNull("previousSecretExpiresAt")) {
            table.row("previousSecretExpiresAt", Json.text(answer, "previousSecretExpiresAt"));
        }
        table.print(out);
    }
}
