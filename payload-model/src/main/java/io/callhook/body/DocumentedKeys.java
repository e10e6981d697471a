package io.callhook.body;

import static io.callhook.body.BodyValues.callOrVisit;
import static io.callhook.body.BodyValues.dateTime;
import static io.callhook.body.BodyValues.epochSeconds;
import static io.callhook.body.BodyValues.geo;
import static io.callhook.body.BodyValues.hookEvent;
import static io.callhook.body.BodyValues.utm;
import static io.callhook.body.BodyValues.visit;
import static io.callhook.body.BodyValues.wholeMinutes;

import io.callhook.model.CallEvent;
import io.callhook.model.Utm;
import io.callhook.model.VisitSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The documented parameters of the webhook (BRIEF's table), in wire order, defined once. The
 * body builder walks {@link #leaves()}; rename validation asks {@link #isDocumented} and
 * {@link #children}. Group keys ({@code visit_info}, {@code visit_info.current}, ...) are derived
 * from the leaves' paths, so adding a leaf is the only edit a new parameter needs.
 */
public final class DocumentedKeys {

    /** The parent path of top-level keys. */
    public static final String TOP = "";

    private static final List<DocumentedKey> LEAVES = List.of(
            DocumentedKey.of("id", c -> c.call().getCallId()),
            // visit_info: current and first carry the same five UTM tags, in the same order.
            utmKey("visit_info.current.utm_source", VisitSnapshot::getCurrent, Utm::getUtmSource),
            utmKey("visit_info.current.utm_medium", VisitSnapshot::getCurrent, Utm::getUtmMedium),
            utmKey("visit_info.current.utm_campaign", VisitSnapshot::getCurrent, Utm::getUtmCampaign),
            utmKey("visit_info.current.utm_content", VisitSnapshot::getCurrent, Utm::getUtmContent),
            utmKey("visit_info.current.utm_term", VisitSnapshot::getCurrent, Utm::getUtmTerm),
            utmKey("visit_info.first.utm_source", VisitSnapshot::getFirst, Utm::getUtmSource),
            utmKey("visit_info.first.utm_medium", VisitSnapshot::getFirst, Utm::getUtmMedium),
            utmKey("visit_info.first.utm_campaign", VisitSnapshot::getFirst, Utm::getUtmCampaign),
            utmKey("visit_info.first.utm_content", VisitSnapshot::getFirst, Utm::getUtmContent),
            utmKey("visit_info.first.utm_term", VisitSnapshot::getFirst, Utm::getUtmTerm),
            DocumentedKey.of("visit_info.session.pgs", c -> visit(c, VisitSnapshot::getPagesViewed)),
            DocumentedKey.of("visit_info.session.cpg", c -> visit(c, VisitSnapshot::getCurrentPage)),
            DocumentedKey.of("visit_info.udata.vst", c -> visit(c, VisitSnapshot::getVisitNumber)),
            DocumentedKey.of("visit_info.udata.uag", c -> visit(c, VisitSnapshot::getUserAgent)),
            DocumentedKey.of("status_code", c -> c.call().getManagerSipStatus()),
            DocumentedKey.of("status_reason", c -> c.call().getManagerSipReason()),
            DocumentedKey.of("status2_code", c -> c.call().getClientSipStatus()),
            DocumentedKey.of("status2_reason", c -> c.call().getClientSipReason()),
            // ip and uip are the same documented value; the geo data is resolved from it too.
            DocumentedKey.of("ip", c -> c.call().getClientIp()),
            DocumentedKey.of("uip", c -> c.call().getClientIp()),
            DocumentedKey.of("country", c -> geo(c, Geo::country)),
            DocumentedKey.of("city", c -> geo(c, Geo::city)),
            DocumentedKey.of("region", c -> geo(c, Geo::region)),
            DocumentedKey.of("district", c -> geo(c, Geo::district)),
            DocumentedKey.of("site", c -> c.call().getSite()),
            DocumentedKey.of("ga_clientid", c -> callOrVisit(c, CallEvent::getGaClientId, VisitSnapshot::getGaClientId)),
            DocumentedKey.of("ga_clid", c -> callOrVisit(c, CallEvent::getGaClid, VisitSnapshot::getGaClid)),
            DocumentedKey.of("ya_clientid", c -> callOrVisit(c, CallEvent::getYaClientId, VisitSnapshot::getYaClientId)),
            DocumentedKey.of("roistat_visit", c -> callOrVisit(c, CallEvent::getRoistatVisit, VisitSnapshot::getRoistatVisit)),
            DocumentedKey.of("phone1", c -> c.call().getManagerPhone()),
            DocumentedKey.of("phone2", c -> c.call().getClientPhone()),
            DocumentedKey.of("widget_hash", c -> c.call().getWidgetHash()),
            DocumentedKey.of("widget_name", c -> c.call().getWidgetName()),
            DocumentedKey.of("date", c -> dateTime(c.call().getCallDate())),
            DocumentedKey.of("date_timestamp", c -> epochSeconds(c.call().getCallDate())),
            DocumentedKey.of("order_date", c -> dateTime(c.call().getOrderDate())),
            DocumentedKey.of("duration_sec", c -> c.call().getDurationSec()),
            DocumentedKey.of("duration_min", c -> wholeMinutes(c.call().getDurationSec())),
            DocumentedKey.of("a_type", c -> c.call().getAType()),
            DocumentedKey.of("asr_attempts", c -> c.call().getAsrAttempts()),
            DocumentedKey.of("attempt", c -> c.call().getAttempt()),
            DocumentedKey.of("event_source", c -> c.call().getEventSource()),
            DocumentedKey.of("hook_event", c -> hookEvent(c.call().getPhase())),
            DocumentedKey.of("playback_tick", c -> c.call().getPlaybackTick()),
            DocumentedKey.of("record_url", c -> c.call().getRecordUrl()),
            DocumentedKey.of("tags", c -> c.call().getTags()));

    /** Parent path -> child paths (groups and leaves), in wire order. */
    private static final Map<String, List<String>> CHILDREN = childrenByParent(LEAVES);

    /** Every documented path, groups included, in wire order. */
    private static final Set<String> PATHS = allPaths(CHILDREN);

    private DocumentedKeys() {
    }

    /** The leaf keys in wire order. */
    public static List<DocumentedKey> leaves() {
        return LEAVES;
    }

    /** Every documented path, groups ({@code visit_info}, {@code visit_info.udata}, ...) included, in wire order. */
    public static Set<String> paths() {
        return PATHS;
    }

    /** Whether {@code path} names a documented key or group. */
    public static boolean isDocumented(String path) {
        return path != null && PATHS.contains(path);
    }

    /** The paths directly under {@code parent} ({@link #TOP} for the top level), in wire order; empty for a leaf. */
    public static List<String> children(String parent) {
        return CHILDREN.getOrDefault(parent, List.of());
    }

    /** The last segment of a path: the key's name in its own object. */
    public static String nameOf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** A documented path split on its dots. */
    static List<String> segmentsOf(String path) {
        List<String> segments = new ArrayList<>(3);
        int start = 0;
        for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', start)) {
            segments.add(path.substring(start, dot));
            start = dot + 1;
        }
        segments.add(path.substring(start));
        return segments;
    }

    private static DocumentedKey utmKey(String path, Function<VisitSnapshot, Utm> set, Function<Utm, String> tag) {
        return DocumentedKey.of(path, c -> utm(c, set, tag));
    }

    private static Map<String, List<String>> childrenByParent(List<DocumentedKey> leaves) {
        Map<String, Set<String>> children = new LinkedHashMap<>();
        for (DocumentedKey leaf : leaves) {
            String parent = TOP;
            for (String segment : leaf.segments()) {
                String path = parent.isEmpty() ? segment : parent + '.' + segment;
                children.computeIfAbsent(parent, p -> new LinkedHashSet<>()).add(path);
                parent = path;
            }
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        children.forEach((parent, paths) -> frozen.put(parent, List.copyOf(paths)));
        return Collections.unmodifiableMap(frozen);
    }

    private static Set<String> allPaths(Map<String, List<String>> children) {
        List<String> ordered = new ArrayList<>();
        addDepthFirst(TOP, children, ordered);
        return Collections.unmodifiableSet(new LinkedHashSet<>(ordered));
    }

    private static void addDepthFirst(String parent, Map<String, List<String>> children, List<String> into) {
        for (String child : children.getOrDefault(parent, List.of())) {
            into.add(child);
            addDepthFirst(child, children, into);
        }
    }
}
