package io.callhook.dispatcher.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.model.CallPhase;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SendTargetTest {

    private static final String PAIRS = "id=1&phone2=%2B7999";

    @Test
    void aPostGoesToTheSubscriptionsUrlAsItIsNow() {
        WebhookRequest rendered = request(HttpMethod.POST, "https://old.example/hook", null);

        assertThat(SendTarget.url(rendered, subscription("https://new.example/hook?k=1"))).isEqualTo("https://new.example/hook?k=1");
    }

    @Test
    void aGetAddsItsPairsToTheSubscriptionsUrlAsItIsNow() {
        WebhookRequest rendered = request(HttpMethod.GET, "https://old.example/hook?" + PAIRS, PAIRS);

        assertThat(SendTarget.url(rendered, subscription("https://new.example/hook?k=1#f")))
                .isEqualTo("https://new.example/hook?k=1&" + PAIRS + "#f");
    }

    @Test
    void aGetWrittenBeforeV3GoesWhereItWasRenderedFor() {
        WebhookRequest rendered = request(HttpMethod.GET, "https://old.example/hook?" + PAIRS, null);

        assertThat(SendTarget.url(rendered, subscription("https://new.example/hook"))).isEqualTo("https://old.example/hook?" + PAIRS);
    }

    @Test
    void anAnswerSpeaksForTheSubscriptionOnlyFromTheUrlItHasNow() {
        WebhookRequest post = request(HttpMethod.POST, "https://a.example/hook", null);
        WebhookRequest get = request(HttpMethod.GET, "https://a.example/hook?t=1&" + PAIRS, PAIRS);
        WebhookRequest oldGet = request(HttpMethod.GET, "https://a.example/hook?t=1&" + PAIRS, null);
        Subscription then = subscription("https://a.example/hook?t=1");

        assertThat(SendTarget.stillCurrent(post, then, subscription("https://a.example/hook?t=1"))).isTrue();
        assertThat(SendTarget.stillCurrent(post, then, subscription("https://a.example/hook?t=2"))).isFalse();
        assertThat(SendTarget.stillCurrent(get, then, subscription("https://b.example/hook?t=1"))).isFalse();
        assertThat(SendTarget.stillCurrent(oldGet, then, subscription("https://a.example/hook?t=2"))).isTrue();
        assertThat(SendTarget.stillCurrent(oldGet, then, subscription("https://b.example/hook?t=1"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "https://Crm.Example.com/hook?token=s3cr3t&phone2=%2B7999#f, https://crm.example.com/hook",
            "http://127.0.0.1:8080/a/b?x=1,                            http://127.0.0.1:8080/a/b",
            "https://crm.example.com,                                   https://crm.example.com/",
            "https://[::1]:9000/p?q,                                    https://[::1]:9000/p",
            "not a url?with=query,                                      not a url"})
    void theEndpointLeavesTheQueryAndFragmentOut(String url, String endpoint) {
        assertThat(SendTarget.endpoint(url)).isEqualTo(endpoint);
    }

    private static Subscription subscription(String url) {
        Instant now = Instant.now();
        return Subscription.newBuilder().setId("s").setAccountId(1).setProduct(Product.CALLTRACKING).setUrl(url)
                .setEvents(List.of(CallPhase.ENDED)).setCreatedAt(now).setUpdatedAt(now).build();
    }

    private static WebhookRequest request(HttpMethod method, String url, String query) {
        Instant now = Instant.now();
        return WebhookRequest.newBuilder().setWebhookId("w").setSubscriptionId("s").setAccountId(1)
                .setProduct(Product.CALLTRACKING).setCallId(1).setPhase(CallPhase.ENDED).setUrl(url).setMethod(method)
                .setHeaders(Map.of()).setBody(ByteBuffer.allocate(0)).setEventTime(now).setCreatedAt(now).setQuery(query).build();
    }
}
