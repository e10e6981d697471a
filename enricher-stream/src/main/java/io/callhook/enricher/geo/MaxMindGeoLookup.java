package io.callhook.enricher.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader.FileMode;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.NamedRecord;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import io.callhook.body.Geo;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Geo from a MaxMind GeoLite2 (or GeoIP2) City database in {@code .mmdb} format.
 *
 * <ul>
 *   <li>country: the ISO 3166-1 alpha-2 code of where the address is ({@code RU}); the
 *       registered country of the network is not used, since it says where the owner is, not
 *       the caller;</li>
 *   <li>region: the most specific subdivision's name, city: the city's name, both in Russian
 *       with an English fallback, null when the database has neither;</li>
 *   <li>district: by {@link FederalDistricts#districtOf} from the country and the subdivision's
 *       ISO code.</li>
 * </ul>
 *
 * <p>The file is memory-mapped (the OS pages it in and shares it; the heap holds only the
 * decoded-node cache), and decoded records are cached in a {@link CHMCache}, so repeated networks
 * cost a map lookup. {@link DatabaseReader} is thread-safe; so is this class. Replace the file by
 * renaming a new one into place, never by rewriting it: a mapped file truncated under the reader
 * crashes the JVM.
 */
public final class MaxMindGeoLookup implements GeoLookup {

    private static final Logger log = LoggerFactory.getLogger(MaxMindGeoLookup.class);

    /** Russian first, as the webhook's receivers read it; English where GeoNames has no Russian. */
    static final List<String> LOCALES = List.of("ru", "en");

    private final DatabaseReader reader;
    private final String description;
    private final AtomicLong failures = new AtomicLong();

    private MaxMindGeoLookup(DatabaseReader reader, String description) {
        this.reader = reader;
        this.description = description;
    }

    /**
     * Opens a City database.
     *
     * @param database path of the {@code .mmdb} file
     * @throws IOException when the file cannot be read, is not a MaxMind database, or is a
     *     database without city data (e.g. GeoLite2 Country or ASN)
     */
    public static MaxMindGeoLookup open(Path database) throws IOException {
        DatabaseReader reader = new DatabaseReader.Builder(database.toFile())
                .locales(LOCALES)
                .fileMode(FileMode.MEMORY_MAPPED)
                .withCache(new CHMCache())
                .build();
        try {
            // The reader refuses city() on other database types only when asked: ask now, at start.
            reader.tryCity(InetAddress.getLoopbackAddress());
        } catch (UnsupportedOperationException | IOException | GeoIp2Exception e) {
            reader.close();
            throw new IOException(database + " is not a usable City database: " + e.getMessage(), e);
        }
        var metadata = reader.metadata();
        return new MaxMindGeoLookup(reader,
                database + " (" + metadata.databaseType() + ", built " + metadata.buildTime() + ")");
    }

    @Override
    public Geo lookup(String ip) {
        Optional<InetAddress> address = IpLiterals.parse(ip);
        if (address.isEmpty()) {
            return Geo.UNKNOWN;
        }
        try {
            return reader.tryCity(address.get()).map(MaxMindGeoLookup::toGeo).orElse(Geo.UNKNOWN);
        } catch (IOException | GeoIp2Exception | RuntimeException e) {
            // Geo is a best-effort enrichment: a damaged or closed database must not stop webhooks.
            logFailure(e);
            return Geo.UNKNOWN;
        }
    }

    static Geo toGeo(CityResponse response) {
        String country = response.country().isoCode();
        var subdivision = response.mostSpecificSubdivision();
        return new Geo(
                country,
                nameOf(subdivision),
                nameOf(response.city()),
                FederalDistricts.districtOf(country, subdivision.isoCode()));
    }

    /** The name in the first of {@link #LOCALES} that the record has, or null. */
    private static String nameOf(NamedRecord record) {
        String name = record.name();
        return name == null || name.isBlank() ? null : name;
    }

    // Logs the 1st, 2nd, 4th, 8th... failure: a broken database shows at once without flooding.
    private void logFailure(Exception e) {
        long count = failures.incrementAndGet();
        if (Long.bitCount(count) == 1) {
            log.warn("Geo lookup failed ({} failures so far), giving unknown geo", count, e);
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            log.warn("Closing the geo database {} failed: {}", description, e.toString());
        }
    }

    @Override
    public String toString() {
        return "MaxMindGeoLookup " + description;
    }
}
