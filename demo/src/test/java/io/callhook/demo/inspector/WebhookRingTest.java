package io.callhook.demo.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookRingTest {

    @Test
    void keepsTheLatestNewestFirstAndNumbersThemForGood() {
        WebhookRing ring = new WebhookRing(3);
        for (int i = 1; i <= 5; i++) {
            ring.add(request("/hooks/" + (i % 2 == 0 ? "even" : "odd")));
        }

        assertThat(ring.newest(10, null)).extracting(ReceivedWebhook::n).containsExactly(5L, 4L, 3L);
        assertThat(ring.newest(2, null)).extracting(ReceivedWebhook::n).containsExactly(5L, 4L);
        assertThat(ring.newest(10, "/hooks/odd")).extracting(ReceivedWebhook::n).containsExactly(5L, 3L);
        assertThat(ring.get(2)).isEmpty();
        assertThat(ring.get(4)).get().extracting(ReceivedWebhook::path).isEqualTo("/hooks/even");
        assertThat(ring.get(6)).isEmpty();
        assertThat(ring.received()).isEqualTo(5);

        assertThat(ring.clear()).isEqualTo(3);
        assertThat(ring.newest(10, null)).isEmpty();
        assertThat(ring.add(request("/hooks/x")).n()).isEqualTo(6);
        assertThat(ring.get(6)).isPresent();
    }

    static ReceivedWebhook request(String path) {
        return new ReceivedWebhook(0, Instant.EPOCH, "POST", path, null, "127.0.0.1", List.of(), null, 0, "", false,
                null, List.of(), null, SignatureCheck.noSecret(), ReceivedWebhook.Summary.NONE, 200);
    }
}
