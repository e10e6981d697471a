package io.callhook.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code subscriptions resend ID ATTEMPT}: {@code POST /subscriptions/{id}/attempts/{attemptId}/resend}. */
@Command(name = "resend",
        description = "Send the webhook of one attempt again (same webhook-id, headers and body) to the subscription's URL.")
final class ResendAttempt extends SubscriptionCommand {

    @Parameters(index = "1", paramLabel = "ATTEMPT", description = "Attempt id, as 'subscriptions attempts' lists it (msg_.../1).")
    String attemptId;

    @Override
    ApiRequest request() {
        return ApiRequest.post(subscriptionPath(id, "attempts", ApiRequest.segment(attemptId), "resend"));
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        out.println("Webhook " + Table.safe(Json.text(answer, "webhookId")) + " queued again; its attempts' ids start with "
                + Table.safe(Json.text(answer, "attemptIdPrefix")) + ".");
        out.println("Follow it with: callhook-cli subscriptions attempts " + Table.safe(id));
    }
}
