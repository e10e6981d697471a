package io.callhook.enricher.geo;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import java.util.List;

/**
 * The part of a GeoLite2 City record the webhook uses: the country's code, the subdivisions'
 * codes and names, the city's name, names in Russian and English only. MaxMind's decoder fills
 * these from the record and skips everything else (continent, location, postal code, traits, the
 * other six languages), which is most of the record. Public because the decoder builds them by
 * reflection.
 */
public final class CityFields {

    final Code country;
    final List<Place> subdivisions;
    final Place city;

    @MaxMindDbConstructor
    public CityFields(@MaxMindDbParameter(name = "country") Code country,
                      @MaxMindDbParameter(name = "subdivisions") List<Place> subdivisions,
                      @MaxMindDbParameter(name = "city") Place city) {
        this.country = country;
        this.subdivisions = subdivisions == null ? List.of() : subdivisions;
        this.city = city;
    }

    /** A country's ISO 3166-1 code. */
    public static final class Code {

        final String isoCode;

        @MaxMindDbConstructor
        public Code(@MaxMindDbParameter(name = "iso_code") String isoCode) {
            this.isoCode = isoCode;
        }
    }

    /** A subdivision (ISO 3166-2 code and names) or a city (names only). */
    public static final class Place {

        final String isoCode;
        final Names names;

        @MaxMindDbConstructor
        public Place(@MaxMindDbParameter(name = "iso_code") String isoCode,
                     @MaxMindDbParameter(name = "names") Names names) {
            this.isoCode = isoCode;
            this.names = names;
        }
    }

    /** The names the webhook may carry: Russian first, as its receivers read it, else English. */
    public static final class Names {

        final String ru;
        final String en;

        @MaxMindDbConstructor
        public Names(@MaxMindDbParameter(name = "ru") String ru, @MaxMindDbParameter(name = "en") String en) {
            this.ru = ru;
            this.en = en;
        }
    }
}
