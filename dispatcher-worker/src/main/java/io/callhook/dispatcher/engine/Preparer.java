package io.callhook.dispatcher.engine;

import io.callhook.dispatcher.http.PreparedRequest;
import io.callhook.dispatcher.signing.SignedContent;
import io.callhook.dispatcher.signing.SigningResult;
import io.callhook.dispatcher.signing.WebhookSigner;
import io.callhook.model.HttpMethod;
import io.callhook.model.Subscription;
import io.callhook.model.WebhookRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prepare phase: the exact HTTP request for one attempt. It goes to the subscription's URL
 * as it is now ({@link SendTarget}). The subscription's static headers, then ours (content type,
 * user agent, the Standard Webhooks signature of this attempt's timestamp over what is sent:
 * the body, or a GET's query, see {@link SignedContent}), which subscriptions cannot override
 * (SubscriptionRules refuses it).
 */
public final class Preparer {

    /** Prepared, or why the request cannot be signed. */
    sealed interface Prepared {
        record Ready(PreparedRequest request) implements Prepared {
        }

        record Unsignable(String reason) implements Prepared {
        }
    }

    private static final ByteBuffer NO_BODY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final WebhookSigner signer;
    private final String userAgent;
    private final Duration timeout;

    /**
     * @param userAgent sent with every webhook
     * @param timeout   the longest one attempt may take
     */
    public Preparer(WebhookSigner signer, String userAgent, Duration timeout) {
        this.signer = signer;
        this.userAgent = userAgent;
        this.timeout = timeout;
    }

    Prepared prepare(WebhookRequest request, Subscription subscription, Instant now) {
        String url = SendTarget.url(request, subscription);
        // A GET goes without a body: its data is in the query, which is what its signature covers.
        ByteBuffer body = request.getMethod() == HttpMethod.GET ? NO_BODY.duplicate() : request.getBody();
        SigningResult signed = signer.sign(request.getWebhookId(), now.getEpochSecond(),
                SignedContent.of(request.getMethod(), url, body), subscription.getSecrets());
        if (!(signed instanceof SigningResult.Signed ok)) {
            return new Prepared.Unsignable(signed.toString());
        }
        Map<String, String> headers = new LinkedHashMap<>(request.getHeaders());
        if (request.getContentType() != null) {
            headers.put("Content-Type", request.getContentType());
        }
        headers.put("User-Agent", userAgent);
        headers.putAll(ok.headers().asMap());
        return new Prepared.Ready(new PreparedRequest(request.getMethod(), url, headers, bytesOf(body), timeout,
                Long.toString(request.getAccountId())));
    }

    /**
     * The body's bytes: the decoded record's own array when the buffer is exactly that array (as
     * Avro decodes it), else a copy. PreparedRequest copies what it is given, so sharing is safe.
     */
    private static byte[] bytesOf(ByteBuffer body) {
        if (body.hasArray() && body.arrayOffset() == 0 && body.position() == 0 && body.remaining() == body.array().length) {
            return body.array();
        }
        byte[] bytes = new byte[body.remaining()];
        body.duplicate().get(bytes);
        return bytes;
    }
}
