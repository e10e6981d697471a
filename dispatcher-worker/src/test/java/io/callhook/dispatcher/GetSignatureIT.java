package io.callhook.dispatcher;

import static io.callhook.dispatcher.DispatcherHarness.request;
import static io.callhook.dispatcher.DispatcherHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.dispatcher.engine.EngineConfig;
import io.callhook.dispatcher.retry.RetrySchedule;
import io.callhook.model.AttemptOutcome;
import io.callhook.model.DeliveryAttempt;
import io.callhook.model.Subscription;
import io.callhook.net.AddressPolicy;
import io.callhook.testkit.Infra;
import io.callhook.testkit.RealInfra;
import io.callhook.testsupport.NodeWebhookReceiver;
import io.callhook.testsupport.NodeWebhookReceiver.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Signatures checked by an independent implementation: a receiver in Node.js verifying with the
 * {@code standardwebhooks} npm package (see {@link NodeWebhookReceiver}), as a customer would. A
 * GET carries its data in the query string, so that is what its signature covers: the raw query
 * as sent, the subscription URL's own query included. Whoever changes the query of a captured
 * request (another phone number, another call) is refused.
 */
@RealInfra
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GetSignatureIT {

    private static final String PAIRS = "id=2002&phone2=%2B79990001122&visit_info%5Budata%5D%5Buag%5D=Mozilla%2F5.0&hook_event=Call+is+over";
    private DispatcherHarness harness;
    private NodeWebhookReceiver node;

    @BeforeAll
    void start(Infra infra) throws Exception {
        harness = DispatcherHarness.start(infra, "getsig.", RetrySchedule.of(List.of(Duration.ofSeconds(30))),
                AddressPolicy.allowing("127.0.0.0/8"), Duration.ofSeconds(5), EngineConfig.DEFAULTS);
        node = NodeWebhookReceiver.start(DispatcherHarness.SECRET, Path.of("target", "it-logs", "node-webhook-receiver.log"));
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        harness.close();
    }

    @Test
    void aGetWebhookVerifiesIndependentlyAndATamperedQueryIsRefused() throws Exception {
        Subscription subscription = DispatcherHarness.getSubscription("get-signed", node.url("/hooks/get?account=42"));
        harness.subscribe(subscription);
        harness.publish(DispatcherHarness.getRequest("msg_get_signed", subscription, PAIRS, true));

        DeliveryAttempt attempt = awaitAttempt("msg_get_signed");
        Received sent = received("msg_get_signed");
        assertThat(sent.url()).isEqualTo("/hooks/get?account=42&" + PAIRS);
        assertThat(sent.verified()).as("standardwebhooks: %s", sent.error()).isTrue();
        assertThat(attempt.getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
        assertThat(attempt.getHttpStatus()).isEqualTo(204);

        Map<String, String> captured = signatureHeaders(sent);
        assertThat(node.get(sent.url(), captured)).as("the captured request, replayed as it was").isEqualTo(204);
        assertThat(node.get(sent.url().replace("phone2=%2B79990001122", "phone2=%2B70000000000"), captured))
                .as("another phone number").isEqualTo(401);
        assertThat(node.get(sent.url().replace("account=42", "account=43"), captured))
                .as("the subscription URL's own query is covered too").isEqualTo(401);
        assertThat(node.get(sent.url() + "&extra=1", captured)).as("a pair added").isEqualTo(401);
        assertThat(node.get("/hooks/get", captured)).as("the query left out").isEqualTo(401);
    }

    @Test
    void aGetWrittenBeforeV3IsSignedOverTheQueryItIsSentWith() throws Exception {
        Subscription subscription = DispatcherHarness.getSubscription("get-signed-v2", node.url("/hooks/v2"));
        harness.subscribe(subscription);
        harness.publish(DispatcherHarness.getRequest("msg_get_signed_v2", subscription, PAIRS, false));

        assertThat(awaitAttempt("msg_get_signed_v2").getHttpStatus()).isEqualTo(204);
        Received sent = received("msg_get_signed_v2");
        assertThat(sent.url()).isEqualTo("/hooks/v2?" + PAIRS);
        assertThat(sent.verified()).as("standardwebhooks: %s", sent.error()).isTrue();
    }

    @Test
    void aPostWebhookVerifiesIndependentlyOverItsBody() throws Exception {
        Subscription subscription = subscription("post-signed", node.url("/hooks/post?account=42"));
        harness.subscribe(subscription);
        harness.publish(request("msg_post_signed", subscription, 3003));

        assertThat(awaitAttempt("msg_post_signed").getHttpStatus()).isEqualTo(204);
        Received sent = received("msg_post_signed");
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.verified()).as("standardwebhooks: %s", sent.error()).isTrue();
    }

    private DeliveryAttempt awaitAttempt(String webhookId) {
        return Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> harness.attemptsOf(webhookId), attempts -> !attempts.isEmpty()).get(0);
    }

    private Received received(String webhookId) throws Exception {
        return node.received().stream().filter(r -> webhookId.equals(r.headers().get("webhook-id"))).findFirst().orElseThrow();
    }

    private static Map<String, String> signatureHeaders(Received received) {
        return Map.of("webhook-id", received.headers().get("webhook-id"),
                "webhook-timestamp", received.headers().get("webhook-timestamp"),
                "webhook-signature", received.headers().get("webhook-signature"));
    }
}
