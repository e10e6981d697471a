package io.callhook.dispatcher.signing;

import java.util.Objects;

/**
 * What {@link WebhookSigner} made of one request: the headers, or why it refused to sign. A
 * refusal is a subscription problem (no usable secret), not a delivery failure: retrying cannot
 * fix it, so the caller dead-letters the request instead of sending it unsigned.
 *
 * <p>No variant carries secret text, so every variant can be logged.
 */
public sealed interface SigningResult {

    /** Signed with every active secret. */
    record Signed(SignatureHeaders headers) implements SigningResult {
        public Signed {
            Objects.requireNonNull(headers, "headers");
        }
    }

    /**
     * No secret is active at the signing time: the list is empty or every secret has expired.
     *
     * @param configured how many secrets the subscription has (all expired when above zero)
     */
    record NoActiveSecret(int configured) implements SigningResult {
    }

    /**
     * An active secret cannot be used as a key. The subscription store should have refused it;
     * signing with the other secrets only would hide the mistake from the customer until their
     * verifier rejects requests, so the whole request is refused.
     *
     * @param position index of the secret in the subscription's list, 0-based
     * @param problem  what is wrong with it, without its text
     */
    record MalformedSecret(int position, String problem) implements SigningResult {
        public MalformedSecret {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
