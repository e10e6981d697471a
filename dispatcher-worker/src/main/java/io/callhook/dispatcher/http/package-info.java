/**
 * The send phase of webhook delivery: one HTTP attempt from a prepared request to a typed result.
 *
 * <ul>
 *   <li>{@link io.callhook.dispatcher.http.PreparedRequest}: what the prepare phase hands over
 *       (method, URL, ordered headers with the signature, body, timeout);</li>
 *   <li>{@link io.callhook.dispatcher.http.WebhookSender}: checks the destination with the SSRF
 *       guard on the address actually connected to, sends over one shared pooled Vert.x HTTP
 *       client with a deadline on every request, and returns</li>
 *   <li>{@link io.callhook.dispatcher.http.SendResult}: delivered, rejected (non-2xx, redirects
 *       included), timed out (connect or response), connection failed (by exception type),
 *       address refused, or invalid URL, each with a stable {@code errorType()} for metrics;</li>
 *   <li>{@link io.callhook.dispatcher.http.HostResolver} and its cached JVM implementation
 *       {@link io.callhook.dispatcher.http.JvmHostResolver}: names to addresses, on lookup threads
 *       of their own shared fairly between accounts ({@code LookupScheduler}), never on an event
 *       loop or Vert.x's worker pool;</li>
 *   <li>{@link io.callhook.dispatcher.http.SenderConfig}: timeouts, pool, excerpt size and user
 *       agent, with their config keys.</li>
 * </ul>
 *
 * <p>The handle phase (retry schedule, dead letters, metrics) reads the result; nothing here
 * retries, logs attempts or counts them.
 */
package io.callhook.dispatcher.http;
