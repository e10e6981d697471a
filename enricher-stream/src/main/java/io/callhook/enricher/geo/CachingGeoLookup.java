package io.callhook.enricher.geo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.callhook.body.Geo;

/**
 * Remembers the geo of the addresses seen most recently: callers call again, and a tracking
 * number's callers come from few networks, so most calls cost a map lookup instead of a walk of
 * the database and a decode. Bounded (least recently used addresses go first); the database is
 * replaced only with a restart, so nothing goes stale.
 */
public final class CachingGeoLookup implements GeoLookup {

    private final GeoLookup database;
    private final Cache<String, Geo> byAddress;

    public CachingGeoLookup(GeoLookup database, int maxAddresses) {
        this.database = database;
        this.byAddress = Caffeine.newBuilder().maximumSize(maxAddresses).build();
    }

    @Override
    public Geo lookup(String ip) {
        if (ip == null) {
            return Geo.UNKNOWN;
        }
        return byAddress.get(ip, database::lookup);
    }

    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return database + ", cached";
    }
}
