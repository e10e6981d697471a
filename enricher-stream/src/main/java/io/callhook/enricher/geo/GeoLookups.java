package io.callhook.enricher.geo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link GeoLookup} at start. Geo is optional: without a usable database the app runs
 * with {@link NoGeoLookup} (every webhook's geo keys null) after one warning that says why,
 * because a missing enrichment is better than no webhooks at all.
 */
public final class GeoLookups {

    private static final Logger log = LoggerFactory.getLogger(GeoLookups.class);
    /** Addresses whose geo is remembered: about 100 bytes each. */
    static final int CACHED_ADDRESSES = 100_000;

    private GeoLookups() {
    }

    /**
     * @param database path of the GeoLite2 City {@code .mmdb} file, empty when none is configured
     * @return a {@link MaxMindGeoLookup} on that file behind a {@link CachingGeoLookup}, or a {@link NoGeoLookup} when the path is
     *     absent, the file is missing or unreadable, or it is not a City database; never throws
     *     for any of these
     */
    public static GeoLookup open(Optional<Path> database) {
        if (database.isEmpty()) {
            return off("no GeoLite2 City database is configured");
        }
        Path path = database.get();
        if (!Files.isRegularFile(path)) {
            return off("the GeoLite2 City database " + path + " does not exist or is not a file"
                    + " (scripts/fetch-geolite2.sh fetches it)");
        }
        if (!Files.isReadable(path)) {
            return off("the GeoLite2 City database " + path + " is not readable");
        }
        try {
            GeoLookup lookup = new CachingGeoLookup(MaxMindGeoLookup.open(path), CACHED_ADDRESSES);
            log.info("Geo lookup is on: {}", lookup);
            return lookup;
        } catch (IOException | RuntimeException e) {
            return off("the GeoLite2 City database " + path + " cannot be opened: " + e.getMessage());
        }
    }

    private static GeoLookup off(String why) {
        log.warn("Geo lookup is off, webhooks carry no country, region, city or district: {}", why);
        return new NoGeoLookup();
    }
}
