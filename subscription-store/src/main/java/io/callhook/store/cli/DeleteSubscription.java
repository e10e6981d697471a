package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code subscriptions delete ID}: {@code DELETE /subscriptions/{id}}. */
@Command(name = "delete", description = "Delete a subscription; webhooks still waiting for it are dropped.")
final class DeleteSubscription extends SubscriptionCommand {

    @Override
    ApiRequest request() {
        return ApiRequest.delete(subscriptionPath(id));
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        out.println("Deleted subscription " + Table.safe(id));
    }
}
