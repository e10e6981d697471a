package io.callhook.enricher.geo;

import io.callhook.body.Geo;

/**
 * Where a client's IP address is: country, region, city and federal district, as the webhook
 * reports them. Called once per call event, from stream threads: implementations are thread-safe
 * and fast, and never throw for bad input. Obtain one with {@link GeoLookups#open}.
 */
public interface GeoLookup extends AutoCloseable {

    /**
     * @param ip the client's address as text: an IPv4 dotted quad or an IPv6 literal. Anything
     *     else (null, blank, a host name, a malformed or out-of-range literal) gives
     *     {@link Geo#UNKNOWN}; host names are never resolved.
     * @return what is known; {@link Geo#UNKNOWN} for private, loopback and unlisted addresses.
     *     Each field is null when unknown, except {@code district}, which follows
     *     {@link FederalDistricts#districtOf}.
     */
    Geo lookup(String ip);

    /** Releases the database, if any; lookups after close give {@link Geo#UNKNOWN}. */
    @Override
    default void close() {
    }
}
