package io.callhook.dispatcher.http;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Where one request goes once the SSRF guard has passed it: the address that was checked, and
 * the name the receiver knows itself by.
 *
 * @param address    the checked address; the connection goes here and nowhere else
 * @param authority  the host for the Host header, TLS SNI and certificate verification: the
 *                   URL's name, or the literal address (IPv6 in brackets)
 * @param port       the TCP port
 * @param ssl        https
 * @param requestUri path and query
 */
record Destination(InetAddress address, String authority, int port, boolean ssl, String requestUri) {

    Destination {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(requestUri, "requestUri");
    }
}
