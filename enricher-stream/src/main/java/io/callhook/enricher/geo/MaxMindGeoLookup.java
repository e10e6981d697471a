package io.callhook.enricher.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import com.maxmind.db.Reader.FileMode;
import io.callhook.body.Geo;
import io.callhook.net.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
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
 * <p>Only the fields used are decoded ({@link CityFields}), not the whole record with its eight
 * languages. The file is memory-mapped (the OS pages it in and shares it; the heap holds only the
 * decoded-node cache), and decoded records are cached in a {@link CHMCache}, so repeated networks
 * cost a map lookup. MaxMind's {@link Reader} is thread-safe; so is this class. Replace the file by
 * renaming a new one into place, never by rewriting it: a mapped file truncated under the reader
 * crashes the JVM.
 */
public final class MaxMindGeoLookup implements GeoLookup {

    private static final Logger log = LoggerFactory.getLogger(MaxMindGeoLookup.class);

    private final Reader reader;
    private final String description;
    private final AtomicLong failures = new AtomicLong();

    private MaxMindGeoLookup(Reader reader, String description) {
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
        Reader reader = new Reader(database.toFile(), FileMode.MEMORY_MAPPED, new CHMCache());
        var metadata = reader.getMetadata();
        // As MaxMind's own DatabaseReader decides whether a database has city data.
        if (!metadata.databaseType().contains("City") && !metadata.databaseType().contains("Enterprise")) {
            reader.close();
            throw new IOException(database + " is not a usable City database: its type is " + metadata.databaseType());
        }
        return new MaxMindGeoLookup(reader,
                database + " (" + metadata.databaseType() + ", built " + metadata.buildTime() + ")");
    }

    @Override
    public Geo lookup(String ip) {
        Optional<InetAddress> address = IpLiteral.parse(ip);
        if (address.isEmpty()) {
            return Geo.UNKNOWN;
        }
        try {
            CityFields fields = reader.get(address.get(), CityFields.class);
            return fields == null ? Geo.UNKNOWN : toGeo(fields);
        } catch (IOException | RuntimeException e) {
            // Geo is a best-effort enrichment: a damaged or closed database must not stop webhooks.
            logFailure(e);
            return Geo.UNKNOWN;
        }
    }

    static Geo toGeo(CityFields fields) {
        String country = fields.country == null ? null : fields.country.isoCode;
        CityFields.Place subdivision = fields.subdivisions.isEmpty() ? null
                : fields.subdivisions.get(fields.subdivisions.size() - 1);
        return new Geo(
                country,
                nameOf(subdivision),
                nameOf(fields.city),
                FederalDistricts.districtOf(country, subdivision == null ? null : subdivision.isoCode));
    }

    /** The place's name in Russian, as the webhook's receivers read it, else in English (GeoNames has no Russian for some), else null. */
    private static String nameOf(CityFields.Place place) {
        if (place == null || place.names == null) {
            return null;
        }
        String name = present(place.names.ru) ? place.names.ru : place.names.en;
        return present(name) ? name : null;
    }

    private static boolean present(String name) {
        return name != null && !name.isBlank();
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
