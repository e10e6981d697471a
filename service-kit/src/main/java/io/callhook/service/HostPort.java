package io.callhook.service;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One {@code host:port} endpoint, e.g. a Kafka bootstrap server. IPv6 hosts are kept with their
 * brackets ({@code [::1]}), so {@link #toString()} gives back the form Kafka clients accept.
 *
 * @param host a host name or address; never blank
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a valid host:port: " + host + ":" + port);
        }
    }

    /** The comma-separated form of Kafka's {@code bootstrap.servers}. */
    public static String join(List<HostPort> endpoints) {
        return endpoints.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
