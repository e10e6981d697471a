package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code subscriptions create ...}: {@code POST /subscriptions}; prints the new subscription and its secret. */
@Command(name = "create", description = "Create a subscription; prints it with its new signing secret.")
final class CreateSubscription extends ApiCommand {

    /** Products API.md knows. */
    enum Product { CALLKEEPER, CALLTRACKING }

    @Option(names = "--account", paramLabel = "ID", required = true, description = "Account id.")
    long account;

    @Option(names = "--product", paramLabel = "PRODUCT", required = true,
            description = "CALLKEEPER (fixed shape: both events, JSON, POST, documented keys) or CALLTRACKING.")
    Product product;

    @Option(names = "--url", paramLabel = "URL", required = true, description = "Where webhooks are sent.")
    String url;

    @Mixin
    DeliveryOptions delivery;

    @Override
    ApiRequest request() {
        ObjectNode body = Json.object();
        body.put("accountId", account);
        body.put("product", product.name());
        body.put("url", url);
        delivery.writeTo(body);
        return ApiRequest.post("/subscriptions", body);
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        SubscriptionTables.printDetail(answer, out);
    }
}
