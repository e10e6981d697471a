/**
 * Standard Webhooks signatures (<a href="https://www.standardwebhooks.com/">standardwebhooks.com</a>,
 * as Svix implements them) for outgoing requests.
 *
 * <ul>
 *   <li>{@link io.callhook.dispatcher.signing.WebhookSigner} signs one attempt with every active
 *       secret of the subscription, which is how secrets rotate without dropping requests;</li>
 *   <li>{@link io.callhook.dispatcher.signing.SigningResult} is its typed answer: the headers, or
 *       why the subscription cannot be signed for;</li>
 *   <li>{@link io.callhook.dispatcher.signing.SignatureHeaders} holds {@code webhook-id},
 *       {@code webhook-timestamp} and {@code webhook-signature}.</li>
 * </ul>
 *
 * <p>Secret text never leaves this package in a result, exception or log line.
 */
package io.callhook.dispatcher.signing;
