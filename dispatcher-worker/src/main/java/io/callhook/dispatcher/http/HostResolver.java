package io.callhook.dispatcher.http;

import io.vertx.core.Future;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Turns a webhook receiver's host name into addresses. The sender checks every address with the
 * SSRF guard and then connects to one of exactly those addresses, never resolving the name again,
 * so a name that resolves differently the second time (DNS rebinding) cannot slip past the check.
 * That is why resolution is the sender's business and not left to the HTTP client.
 *
 * <p>{@link JvmHostResolver} is the production implementation; tests pass canned answers.
 */
@FunctionalInterface
public interface HostResolver extends AutoCloseable {

    /**
     * The addresses of a host name, in the order to try them.
     *
     * @param host   lower-case ASCII, without a trailing dot (as {@link io.callhook.net.UrlHost.Name#host()})
     * @param tenant whose webhook it is (the account): lookups are shared fairly between tenants
     * @param within how long the caller waits for the answer; a lookup that could not even start
     *               by then is not started
     * @return the addresses, never empty on success; failed with {@link java.net.UnknownHostException}
     *         when the name does not exist, with {@link ResolverBusyException} when the tenant
     *         already has as many lookups waiting as are taken
     */
    Future<List<InetAddress>> resolve(String host, String tenant, Duration within);

    /** Frees what the resolver holds (threads); the sender that uses it closes it. */
    @Override
    default void close() {
    }
}
