package io.callhook.enricher.geo;

/**
 * The eight federal districts (федеральные округа) of Russia, with the names the webhook's
 * {@code district} key carries. Buryatia and Zabaykalsky Krai belong to the Far Eastern district
 * since the decree of 3 November 2018 (they were Siberian before).
 */
public enum FederalDistrict {
    CENTRAL("Центральный федеральный округ"),
    NORTH_WESTERN("Северо-Западный федеральный округ"),
    SOUTHERN("Южный федеральный округ"),
    NORTH_CAUCASIAN("Северо-Кавказский федеральный округ"),
    VOLGA("Приволжский федеральный округ"),
    URAL("Уральский федеральный округ"),
    SIBERIAN("Сибирский федеральный округ"),
    FAR_EASTERN("Дальневосточный федеральный округ");

    private final String russianName;

    FederalDistrict(String russianName) {
        this.russianName = russianName;
    }

    /** The full Russian name, e.g. {@code "Центральный федеральный округ"}: the webhook's value. */
    public String russianName() {
        return russianName;
    }
}
