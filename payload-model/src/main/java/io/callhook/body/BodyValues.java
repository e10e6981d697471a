package io.callhook.body;

import io.callhook.model.CallEvent;
import io.callhook.model.CallPhase;
import io.callhook.model.Utm;
import io.callhook.model.VisitSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;

/**
 * How each documented value is derived from an {@link EnrichedCall}. Every function returns
 * null when its input is unknown, so the body says "unknown" instead of inventing a value.
 */
final class BodyValues {

    /** BRIEF: {@code date}/{@code order_date} are UTC {@code yyyy-MM-dd HH:mm:ss}, whatever the JVM zone. */
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    static final String CALL_IS_PROCESSING = "Call is processing";
    static final String CALL_IS_OVER = "Call is over";

    private BodyValues() {
    }

    /** A value of the visit, or null without a visit. */
    static <T> T visit(EnrichedCall call, Function<VisitSnapshot, T> field) {
        return call.visit() == null ? null : field.apply(call.visit());
    }

    /** A UTM tag of one of the visit's UTM sets ({@code current} or {@code first}). */
    static String utm(EnrichedCall call, Function<VisitSnapshot, Utm> set, Function<Utm, String> tag) {
        Utm utm = visit(call, set);
        return utm == null ? null : tag.apply(utm);
    }

    /** A geo field, or null when the IP was not resolved. */
    static String geo(EnrichedCall call, Function<Geo, String> field) {
        return call.geo() == null ? null : field.apply(call.geo());
    }

    /** The backend's value when it has one, else the site tracker's (client ids). */
    static String callOrVisit(EnrichedCall call, Function<CallEvent, String> fromCall,
                              Function<VisitSnapshot, String> fromVisit) {
        String value = fromCall.apply(call.call());
        return value != null ? value : visit(call, fromVisit);
    }

    /** UTC {@code yyyy-MM-dd HH:mm:ss}; sub-second precision is dropped, as in the documented example. */
    static String dateTime(Instant instant) {
        if (instant == null) {
            return null;
        }
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = utc.getYear();
        if (year < 1000 || year > 9999) {
            return DATE_TIME.format(instant);
        }
        // Two per call, for every webhook: by hand, several times cheaper than the formatter.
        byte[] text = new byte[19];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, utc.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, utc.getDayOfMonth(), 2);
        text[10] = ' ';
        digits(text, 11, utc.getHour(), 2);
        text[13] = ':';
        digits(text, 14, utc.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, utc.getSecond(), 2);
        return new String(text, StandardCharsets.US_ASCII);
    }

    private static void digits(byte[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Unix seconds; a date that is a few milliseconds before a second belongs to that second. */
    static Long epochSeconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }

    /** {@code ceil(seconds / 60)} as a string, as the documented {@code duration_min: "0"}. */
    static String wholeMinutes(Integer seconds) {
        return seconds == null ? null : Integer.toString(-Math.floorDiv(-seconds, 60));
    }

    /** The documented {@code hook_event}; null for a phase the contract has no text for. */
    static String hookEvent(CallPhase phase) {
        if (phase == CallPhase.STARTED) {
            return CALL_IS_PROCESSING;
        }
        if (phase == CallPhase.ENDED) {
            return CALL_IS_OVER;
        }
        return null;
    }
}
