package io.callhook.enricher.geo;

import io.callhook.body.Geo;

/**
 * The lookup used when no GeoLite2 database is available: every address is {@link Geo#UNKNOWN},
 * so webhooks go out with null geo keys rather than not at all.
 */
public final class NoGeoLookup implements GeoLookup {

    @Override
    public Geo lookup(String ip) {
        return Geo.UNKNOWN;
    }

    @Override
    public String toString() {
        return "NoGeoLookup";
    }
}
