package io.callhook.body;

/**
 * Where the client's IP address resolved to. Every field is null when unknown: a region that
 * did not resolve is a normal case, and the webhook then says null rather than guessing.
 *
 * @param country ISO 3166-1 alpha-2 country code, e.g. {@code RU}
 * @param region region name
 * @param city city name
 * @param district Russian federal district of the region; "" (empty) outside Russia, null when the country or a Russian region is unknown
 */
public record Geo(String country, String region, String city, String district) {

    /** Nothing known. */
    public static final Geo UNKNOWN = new Geo(null, null, null, null);
}
