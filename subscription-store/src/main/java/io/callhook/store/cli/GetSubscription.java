package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code subscriptions get ID}: {@code GET /subscriptions/{id}}. */
@Command(name = "get", description = "Show a subscription and its counters (its signing secret: 'secret').")
final class GetSubscription extends SubscriptionCommand {

    @Override
    ApiRequest request() {
        return ApiRequest.get(subscriptionPath(id), Map.of());
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        SubscriptionTables.printDetail(answer, out);
    }
}
