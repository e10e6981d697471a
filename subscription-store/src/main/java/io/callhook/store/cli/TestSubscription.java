package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code subscriptions test ID}: {@code POST /subscriptions/{id}/test}. */
@Command(name = "test",
        description = "Send a synthetic test call through the whole pipeline to this subscription only.")
final class TestSubscription extends SubscriptionCommand {

    @Override
    ApiRequest request() {
        return ApiRequest.post(subscriptionPath(id, "test"));
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        String safeId = Table.safe(id);
        out.println("Test call " + Json.text(answer, "testCallId") + " queued for subscription " + safeId
                + " (events " + Json.list(answer, "events") + ").");
        out.println("Follow it with: callhook-cli subscriptions attempts " + safeId);
    }
}
