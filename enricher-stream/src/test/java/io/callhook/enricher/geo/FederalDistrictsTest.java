package io.callhook.enricher.geo;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FederalDistrictsTest {

    // Debian's iso-codes package; scripts/install-test-deps.sh installs it.
    private static final Path ISO_3166_2 = Path.of("/usr/share/iso-codes/json/iso_3166-2.json");

    private static final List<String> EIGHT_DISTRICTS = List.of(
            "Центральный федеральный округ",
            "Северо-Западный федеральный округ",
            "Южный федеральный округ",
            "Северо-Кавказский федеральный округ",
            "Приволжский федеральный округ",
            "Уральский федеральный округ",
            "Сибирский федеральный округ",
            "Дальневосточный федеральный округ");

    @Test
    void keysAreExactlyTheRussianCodesOfIso3166_2() throws IOException {
        assertThat(FederalDistricts.byRegionCode().keySet()).containsExactlyInAnyOrderElementsOf(russianIsoCodes());
    }

    @Test
    void everyRegionMapsToOneOfTheEightDistrictNames() {
        assertThat(FederalDistricts.byRegionCode().values().stream().map(FederalDistrict::russianName).distinct())
                .containsExactlyInAnyOrderElementsOf(EIGHT_DISTRICTS);
        assertThat(Arrays.stream(FederalDistrict.values()).map(FederalDistrict::russianName))
                .containsExactlyInAnyOrderElementsOf(EIGHT_DISTRICTS);
    }

    @Test
    void eachDistrictHasItsNumberOfRegions() {
        Map<FederalDistrict, Long> sizes = FederalDistricts.byRegionCode().values().stream()
                .collect(groupingBy(d -> d, counting()));

        // Southern is 8 by Russia's count with Crimea and Sevastopol, which ISO 3166-2:RU lacks.
        assertThat(sizes).containsExactlyInAnyOrderEntriesOf(Map.of(
                FederalDistrict.CENTRAL, 18L,
                FederalDistrict.NORTH_WESTERN, 11L,
                FederalDistrict.SOUTHERN, 6L,
                FederalDistrict.NORTH_CAUCASIAN, 7L,
                FederalDistrict.VOLGA, 14L,
                FederalDistrict.URAL, 6L,
                FederalDistrict.SIBERIAN, 10L,
                FederalDistrict.FAR_EASTERN, 11L));
    }

    @Test
    void buryatiaAndZabaykalskyAreFarEasternSince2018() {
        assertThat(FederalDistricts.ofRegion("BU")).contains(FederalDistrict.FAR_EASTERN);
        assertThat(FederalDistricts.ofRegion("ZAB")).contains(FederalDistrict.FAR_EASTERN);
    }

    @Test
    void capitalsAndNeighboursLandInTheirDistricts() {
        assertThat(FederalDistricts.ofRegion("MOW")).contains(FederalDistrict.CENTRAL);
        assertThat(FederalDistricts.ofRegion("MOS")).contains(FederalDistrict.CENTRAL);
        assertThat(FederalDistricts.ofRegion("SPE")).contains(FederalDistrict.NORTH_WESTERN);
        assertThat(FederalDistricts.ofRegion("KGD")).contains(FederalDistrict.NORTH_WESTERN);
        assertThat(FederalDistricts.ofRegion("STA")).contains(FederalDistrict.NORTH_CAUCASIAN);
        assertThat(FederalDistricts.ofRegion("KHM")).contains(FederalDistrict.URAL);
        assertThat(FederalDistricts.ofRegion("NVS")).contains(FederalDistrict.SIBERIAN);
    }

    @Test
    void districtIsEmptyOutsideRussia() {
        assertThat(FederalDistricts.districtOf("DE", "BE")).isEmpty();
        assertThat(FederalDistricts.districtOf("US", null)).isEmpty();
        // Codes are per country: Ukraine's "43" (Crimea) and a code that exists in RU alike.
        assertThat(FederalDistricts.districtOf("UA", "43")).isEmpty();
        assertThat(FederalDistricts.districtOf("KZ", "MOW")).isEmpty();
    }

    @Test
    void districtIsTheNameForAKnownRussianRegion() {
        assertThat(FederalDistricts.districtOf("RU", "MOW")).isEqualTo("Центральный федеральный округ");
        assertThat(FederalDistricts.districtOf("RU", "SVE")).isEqualTo("Уральский федеральный округ");
    }

    @Test
    void districtIsNullWhenCountryOrRussianRegionIsUnknown() {
        assertThat(FederalDistricts.districtOf(null, null)).isNull();
        assertThat(FederalDistricts.districtOf(null, "MOW")).isNull();
        assertThat(FederalDistricts.districtOf("RU", null)).isNull();
        assertThat(FederalDistricts.districtOf("RU", "XX")).isNull();
    }

    @Test
    void tableIsUnmodifiable() {
        assertThat(FederalDistricts.byRegionCode()).isUnmodifiable();
    }

    private static Set<String> russianIsoCodes() throws IOException {
        if (!Files.isReadable(ISO_3166_2)) {
            fail(ISO_3166_2 + " is missing: install Debian's iso-codes package"
                    + " (apt-get install iso-codes, or scripts/install-test-deps.sh)");
        }
        JsonNode entries = new ObjectMapper().readTree(ISO_3166_2.toFile()).path("3166-2");
        Set<String> codes = new TreeSet<>();
        for (JsonNode entry : entries) {
            String code = entry.path("code").asText();
            if (code.startsWith("RU-")) {
                codes.add(code.substring("RU-".length()));
            }
        }
        assertThat(codes).as("Russian codes in %s", ISO_3166_2).isNotEmpty();
        return codes;
    }
}
