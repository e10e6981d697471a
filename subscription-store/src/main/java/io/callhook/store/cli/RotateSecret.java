package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code subscriptions rotate-secret ID [--grace D]}: {@code POST /subscriptions/{id}/rotate-secret}. */
@Command(name = "rotate-secret",
        description = "Give a subscription a new signing secret; the old one keeps signing during the grace period.")
final class RotateSecret extends SubscriptionCommand {

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the old secret keeps signing, e.g. 24h, 30m, 0s (default: the store's).")
    Duration grace;

    @Override
    ApiRequest request() {
        // Always a JSON object, empty without --grace: API.md makes the field optional, not the body.
        ObjectNode body = Json.object();
        if (grace != null) {
            body.put("graceSeconds", grace.toSeconds());
        }
        return ApiRequest.post(subscriptionPath(id, "rotate-secret"), body);
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        SubscriptionTables.printDetail(answer, out);
    }
}
