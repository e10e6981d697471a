package io.callhook.body;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default JSON body against BRIEF's parameter table, written out here by hand on purpose:
 * it must not be derived from {@link DocumentedKeys}, or a key dropped there would go unnoticed.
 */
class DocumentedParametersTest {

    /** BRIEF.md, "Parameters of the webhook", top to bottom, visit_info expanded. */
    private static final List<String> BRIEF_TABLE = List.of(
            "id",
            "visit_info.current.utm_source",
            "visit_info.current.utm_medium",
            "visit_info.current.utm_campaign",
            "visit_info.current.utm_content",
            "visit_info.current.utm_term",
            "visit_info.first.utm_source",
            "visit_info.first.utm_medium",
            "visit_info.first.utm_campaign",
            "visit_info.first.utm_content",
            "visit_info.first.utm_term",
            "visit_info.session.pgs",
            "visit_info.session.cpg",
            "visit_info.udata.vst",
            "visit_info.udata.uag",
            "status_code", "status_reason",
            "status2_code", "status2_reason",
            "ip", "uip",
            "country",
            "city", "region", "district",
            "site",
            "ga_clientid", "ga_clid",
            "ya_clientid",
            "roistat_visit",
            "phone1",
            "phone2",
            "widget_hash", "widget_name",
            "date",
            "date_timestamp",
            "order_date",
            "duration_sec",
            "duration_min",
            "a_type",
            "asr_attempts",
            "attempt",
            "event_source",
            "hook_event",
            "playback_tick",
            "record_url",
            "tags");

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void everyDocumentedKeyIsInTheDefaultJsonBody() throws IOException {
        JsonNode body = defaultBody(SampleCalls.enriched(SampleCalls.endedCall()));

        for (String path : BRIEF_TABLE) {
            assertThat(body.at("/" + path.replace('.', '/')).isMissingNode())
                    .as("documented key %s is missing from the body", path).isFalse();
        }
    }

    @Test
    void theBodyHasExactlyTheDocumentedKeysInTheTablesOrder() throws IOException {
        JsonNode body = defaultBody(SampleCalls.enriched(SampleCalls.endedCall()));

        assertThat(leafPaths(body)).containsExactlyElementsOf(BRIEF_TABLE);
    }

    @Test
    void everyDocumentedKeyIsThereEvenWhenNothingIsKnown() throws IOException {
        EnrichedCall bare = new EnrichedCall(SampleCalls.startedCall()
                .setWidgetHash(null).setWidgetName(null).setClientIp(null).setSite(null)
                .setManagerPhone(null).setClientPhone(null).setOrderDate(null).setAType(null)
                .setAsrAttempts(null).setAttempt(null).setPlaybackTick(null).setEventSource(null)
                .setTags(null).setYaClientId(null).build(), null, null);

        assertThat(leafPaths(defaultBody(bare))).containsExactlyElementsOf(BRIEF_TABLE);
    }

    private JsonNode defaultBody(EnrichedCall call) throws IOException {
        return mapper.readTree(WebhookBodyRenderer.render(call, BodyOptions.DEFAULT, "https://example.com/").body());
    }

    private static List<String> leafPaths(JsonNode body) {
        List<String> paths = new ArrayList<>();
        for (String leaf : GoldenFiles.flatten(body)) {
            paths.add(leaf.substring(0, leaf.indexOf('=')));
        }
        return paths;
    }
}
