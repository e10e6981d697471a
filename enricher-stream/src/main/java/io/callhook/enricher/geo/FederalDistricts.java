package io.callhook.enricher.geo;

import static io.callhook.enricher.geo.FederalDistrict.CENTRAL;
import static io.callhook.enricher.geo.FederalDistrict.FAR_EASTERN;
import static io.callhook.enricher.geo.FederalDistrict.NORTH_CAUCASIAN;
import static io.callhook.enricher.geo.FederalDistrict.NORTH_WESTERN;
import static io.callhook.enricher.geo.FederalDistrict.SIBERIAN;
import static io.callhook.enricher.geo.FederalDistrict.SOUTHERN;
import static io.callhook.enricher.geo.FederalDistrict.URAL;
import static io.callhook.enricher.geo.FederalDistrict.VOLGA;

import java.util.Map;
import java.util.Optional;

/**
 * Which federal district each Russian region belongs to, keyed by the region's ISO 3166-2:RU code
 * without the {@code RU-} prefix ({@code MOW}, {@code SPE}, {@code MOS}, ...): the form GeoLite2
 * gives as the subdivision's ISO code. The table holds the 83 codes of ISO 3166-2:RU; Crimea and
 * Sevastopol are not among them (ISO codes them UA-43 and UA-40, and GeoLite2 places them in UA).
 *
 * <p>{@link #districtOf(String, String)} applies the webhook's rule for the {@code district} key.
 */
public final class FederalDistricts {

    /** ISO 3166-1 alpha-2 code of Russia, the only country that has federal districts. */
    public static final String RUSSIA = "RU";

    private static final Map<String, FederalDistrict> BY_REGION = Map.ofEntries(
            // Central: 18
            Map.entry("BEL", CENTRAL), Map.entry("BRY", CENTRAL), Map.entry("VLA", CENTRAL),
            Map.entry("VOR", CENTRAL), Map.entry("IVA", CENTRAL), Map.entry("KLU", CENTRAL),
            Map.entry("KOS", CENTRAL), Map.entry("KRS", CENTRAL), Map.entry("LIP", CENTRAL),
            Map.entry("MOS", CENTRAL), Map.entry("MOW", CENTRAL), Map.entry("ORL", CENTRAL),
            Map.entry("RYA", CENTRAL), Map.entry("SMO", CENTRAL), Map.entry("TAM", CENTRAL),
            Map.entry("TVE", CENTRAL), Map.entry("TUL", CENTRAL), Map.entry("YAR", CENTRAL),
            // North-Western: 11
            Map.entry("KR", NORTH_WESTERN), Map.entry("KO", NORTH_WESTERN), Map.entry("ARK", NORTH_WESTERN),
            Map.entry("NEN", NORTH_WESTERN), Map.entry("VLG", NORTH_WESTERN), Map.entry("KGD", NORTH_WESTERN),
            Map.entry("LEN", NORTH_WESTERN), Map.entry("MUR", NORTH_WESTERN), Map.entry("NGR", NORTH_WESTERN),
            Map.entry("PSK", NORTH_WESTERN), Map.entry("SPE", NORTH_WESTERN),
            // Southern: 6 of the ISO list (Russia also counts Crimea and Sevastopol here; see class doc)
            Map.entry("AD", SOUTHERN), Map.entry("KL", SOUTHERN), Map.entry("KDA", SOUTHERN),
            Map.entry("AST", SOUTHERN), Map.entry("VGG", SOUTHERN), Map.entry("ROS", SOUTHERN),
            // North Caucasian: 7
            Map.entry("DA", NORTH_CAUCASIAN), Map.entry("IN", NORTH_CAUCASIAN), Map.entry("KB", NORTH_CAUCASIAN),
            Map.entry("KC", NORTH_CAUCASIAN), Map.entry("SE", NORTH_CAUCASIAN), Map.entry("CE", NORTH_CAUCASIAN),
            Map.entry("STA", NORTH_CAUCASIAN),
            // Volga: 14
            Map.entry("BA", VOLGA), Map.entry("ME", VOLGA), Map.entry("MO", VOLGA), Map.entry("TA", VOLGA),
            Map.entry("UD", VOLGA), Map.entry("CU", VOLGA), Map.entry("PER", VOLGA), Map.entry("KIR", VOLGA),
            Map.entry("NIZ", VOLGA), Map.entry("ORE", VOLGA), Map.entry("PNZ", VOLGA), Map.entry("SAM", VOLGA),
            Map.entry("SAR", VOLGA), Map.entry("ULY", VOLGA),
            // Ural: 6
            Map.entry("KGN", URAL), Map.entry("SVE", URAL), Map.entry("TYU", URAL), Map.entry("CHE", URAL),
            Map.entry("KHM", URAL), Map.entry("YAN", URAL),
            // Siberian: 10 (Buryatia and Zabaykalsky left for the Far East in 2018)
            Map.entry("AL", SIBERIAN), Map.entry("TY", SIBERIAN), Map.entry("KK", SIBERIAN),
            Map.entry("ALT", SIBERIAN), Map.entry("KYA", SIBERIAN), Map.entry("IRK", SIBERIAN),
            Map.entry("KEM", SIBERIAN), Map.entry("NVS", SIBERIAN), Map.entry("OMS", SIBERIAN),
            Map.entry("TOM", SIBERIAN),
            // Far Eastern: 11
            Map.entry("BU", FAR_EASTERN), Map.entry("SA", FAR_EASTERN), Map.entry("ZAB", FAR_EASTERN),
            Map.entry("KAM", FAR_EASTERN), Map.entry("PRI", FAR_EASTERN), Map.entry("KHA", FAR_EASTERN),
            Map.entry("AMU", FAR_EASTERN), Map.entry("MAG", FAR_EASTERN), Map.entry("SAK", FAR_EASTERN),
            Map.entry("YEV", FAR_EASTERN), Map.entry("CHU", FAR_EASTERN));

    private FederalDistricts() {
    }

    /** The whole table, region code → district; unmodifiable. */
    public static Map<String, FederalDistrict> byRegionCode() {
        return BY_REGION;
    }

    /**
     * The district of one Russian region.
     *
     * @param regionCode ISO 3166-2:RU code without {@code RU-}, e.g. {@code "MOW"}; may be null
     * @return the district, or empty when the code is null or not a Russian region
     */
    public static Optional<FederalDistrict> ofRegion(String regionCode) {
        return regionCode == null ? Optional.empty() : Optional.ofNullable(BY_REGION.get(regionCode));
    }

    /**
     * The value of the webhook's {@code district} key, by the product's rule:
     * <ul>
     *   <li>{@code null} when the country is unknown: we cannot tell whether a district applies;</li>
     *   <li>{@code ""} when the country is known and is not Russia: no district exists there;</li>
     *   <li>the district's Russian name for a Russian region in the table;</li>
     *   <li>{@code null} for Russia when the region is unknown (about half of Russian networks
     *       resolve to no region: a normal case, never guessed).</li>
     * </ul>
     *
     * @param countryCode ISO 3166-1 alpha-2 code, e.g. {@code "RU"}; may be null
     * @param regionCode ISO 3166-2 subdivision code without the country prefix; may be null
     */
    public static String districtOf(String countryCode, String regionCode) {
        if (countryCode == null) {
            return null;
        }
        if (!RUSSIA.equals(countryCode)) {
            return "";
        }
        return ofRegion(regionCode).map(FederalDistrict::russianName).orElse(null);
    }
}
