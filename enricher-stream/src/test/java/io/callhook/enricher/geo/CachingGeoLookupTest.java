package io.callhook.enricher.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.body.Geo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingGeoLookupTest {

    /** Answers from the address's last digit and notes every address it was asked. */
    private static final class CountingLookup implements GeoLookup {
        final List<String> asked = new ArrayList<>();
        boolean closed;

        @Override
        public Geo lookup(String ip) {
            asked.add(ip);
            return new Geo("C" + ip.charAt(ip.length() - 1), null, null, "");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void anAddressIsLookedUpOnceAndAnsweredTheSame() {
        CountingLookup database = new CountingLookup();
        CachingGeoLookup cached = new CachingGeoLookup(database, 100);

        Geo first = cached.lookup("77.50.1.1");
        Geo second = cached.lookup("77.50.1.1");
        Geo other = cached.lookup("77.50.1.2");

        assertThat(second).isEqualTo(first).isEqualTo(new Geo("C1", null, null, ""));
        assertThat(other.country()).isEqualTo("C2");
        assertThat(database.asked).containsExactly("77.50.1.1", "77.50.1.2");
    }

    @Test
    void noAddressIsUnknownWithoutAskingAndCloseClosesTheDatabase() {
        CountingLookup database = new CountingLookup();
        CachingGeoLookup cached = new CachingGeoLookup(database, 100);

        assertThat(cached.lookup(null)).isEqualTo(Geo.UNKNOWN);
        cached.close();

        assertThat(database.asked).isEmpty();
        assertThat(database.closed).isTrue();
    }

    @Test
    void theCacheIsBounded() {
        CountingLookup database = new CountingLookup();
        CachingGeoLookup cached = new CachingGeoLookup(database, 10);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 1_000; i++) {
                cached.lookup("10.0." + (i / 250) + "." + (i % 250));
            }
        }
        // Caffeine evicts asynchronously but promptly: most of the second round misses again.
        assertThat(database.asked.size()).isGreaterThan(1_500);
    }
}
