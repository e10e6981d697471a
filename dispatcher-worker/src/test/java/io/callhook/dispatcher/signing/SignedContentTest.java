package io.callhook.dispatcher.signing;

import static io.callhook.dispatcher.signing.WebhookSignerTest.MSG_ID;
import static io.callhook.dispatcher.signing.WebhookSignerTest.PAYLOAD;
import static io.callhook.dispatcher.signing.WebhookSignerTest.SECRET;
import static io.callhook.dispatcher.signing.WebhookSignerTest.SIGNATURE;
import static io.callhook.dispatcher.signing.WebhookSignerTest.TIMESTAMP;
import static io.callhook.dispatcher.signing.WebhookSignerTest.current;
import static io.callhook.dispatcher.signing.WebhookSignerTest.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.model.HttpMethod;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What is signed. Expected GET signatures are fixed values computed once with Python's hmac
 * module over {@code id.timestamp.<raw query>} and pasted in.
 */
class SignedContentTest {

    private static final String GET_URL = "https://crm.example.com/hook?account=42&id=1001&phone2=%2B79990001122#frag";
    private static final String GET_SIGNATURE = "v1,/IM50ZOniRdVJxvuQaXqCsfJtQOhiJFDHd3txZb1Lqg=";
    private static final String NO_QUERY_SIGNATURE = "v1,v48jdbgvh29KJz2Qc+ghw8G6vG3nAKnujWBg8oM/62A=";

    private final WebhookSigner signer = new WebhookSigner();

    @Test
    void aGetIsSignedOverItsRawQueryWithoutTheFragment() {
        ByteBuffer content = SignedContent.of(HttpMethod.GET, GET_URL, ByteBuffer.wrap(PAYLOAD));

        assertThat(signed(signer.sign(MSG_ID, TIMESTAMP, content, List.of(current(SECRET)))).signature()).isEqualTo(GET_SIGNATURE);
    }

    @Test
    void aGetWithoutQuerySignsNothingAfterTheTimestamp() {
        for (String url : List.of("https://crm.example.com/hook", "https://crm.example.com/hook?", "https://crm.example.com/#x")) {
            ByteBuffer content = SignedContent.of(HttpMethod.GET, url, ByteBuffer.wrap(PAYLOAD));
            assertThat(signed(signer.sign(MSG_ID, TIMESTAMP, content, List.of(current(SECRET)))).signature())
                    .as(url).isEqualTo(NO_QUERY_SIGNATURE);
        }
    }

    @ParameterizedTest
    @EnumSource(value = HttpMethod.class, names = {"POST", "PUT", "PATCH"})
    void methodsWithABodySignTheBodyAsBefore(HttpMethod method) {
        ByteBuffer content = SignedContent.of(method, GET_URL, ByteBuffer.wrap(PAYLOAD));

        assertThat(signed(signer.sign(MSG_ID, TIMESTAMP, content, List.of(current(SECRET)))).signature()).isEqualTo(SIGNATURE);
    }
}
