package io.callhook.dispatcher.http;

import io.callhook.model.HttpMethod;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PreparedRequestTest {

    @Test
    void keepsHeaderOrderAndIsImmutable() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Callhook-Signature", "v1,abc");
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "test");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        PreparedRequest request = new PreparedRequest(HttpMethod.POST, "https://example.com/", headers, body, Duration.ofSeconds(1));
        headers.put("X-Late", "1");
        body[0] = 'X';
        request.body()[1] = 'Y';

        assertThat(request.headers().keySet()).containsExactly("X-Callhook-Signature", "Content-Type", "User-Agent");
        assertThat(request.body()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(request.bodyLength()).isEqualTo(2);
        assertThat(request.hasHeader("user-agent")).isTrue();
        assertThat(request).isEqualTo(new PreparedRequest(HttpMethod.POST, "https://example.com/",
                request.headers(), "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1)));
        assertThat(request.toString()).doesNotContain("v1,abc").contains("2 bytes");
    }

    @Test
    void refusesHeadersThatWouldSplitOrSmuggle() {
        assertThatIllegalArgumentException().isThrownBy(() -> request(Map.of("X-A", "1\r\nX-Injected: 2")))
                .withMessageContaining("CR, LF");
        assertThatIllegalArgumentException().isThrownBy(() -> request(Map.of("Bad Name", "1")))
                .withMessageContaining("token");
        assertThatIllegalArgumentException().isThrownBy(() -> request(Map.of("content-length", "5")))
                .withMessageContaining("set by the sender");
        assertThatIllegalArgumentException().isThrownBy(() -> request(Map.of("Host", "evil")))
                .withMessageContaining("set by the sender");
        assertThatIllegalArgumentException().isThrownBy(() -> request(Map.of("Transfer-Encoding", "chunked")));
        assertThatIllegalArgumentException().isThrownBy(() -> request(Map.of("X-Id", "1", "x-id", "2")))
                .withMessageContaining("twice");
    }

    @Test
    void timeoutMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> new PreparedRequest(HttpMethod.GET, "http://example.com/", Map.of(), new byte[0], Duration.ZERO));
    }

    private static PreparedRequest request(Map<String, String> headers) {
        return new PreparedRequest(HttpMethod.POST, "https://example.com/", headers, new byte[0], Duration.ofSeconds(1));
    }
}
