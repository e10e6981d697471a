package io.callhook.body;

import static io.callhook.body.SampleCalls.YEKATERINBURG;
import static io.callhook.body.SampleCalls.endedCall;
import static io.callhook.body.SampleCalls.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callhook.model.VisitSnapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookBodyTest {

    @Test
    void withoutVisitTheVisitInfoStructureIsThereWithEveryLeafNull() {
        Map<String, Object> tree = WebhookBody.of(new EnrichedCall(endedCall().build(), null, YEKATERINBURG)).tree();

        assertThat(object(tree, "visit_info")).containsOnlyKeys("current", "first", "session", "udata");
        assertThat(object(tree, "visit_info", "current")).containsOnlyKeys(utmKeys()).allSatisfy((k, v) -> assertThat(v).isNull());
        assertThat(object(tree, "visit_info", "first")).containsOnlyKeys(utmKeys()).allSatisfy((k, v) -> assertThat(v).isNull());
        assertThat(object(tree, "visit_info", "session")).containsEntry("pgs", null).containsEntry("cpg", null).hasSize(2);
        assertThat(object(tree, "visit_info", "udata")).containsEntry("vst", null).containsEntry("uag", null).hasSize(2);
    }

    @Test
    void aVisitWithoutCurrentUtmHasNullCurrentTags() {
        VisitSnapshot visit = VisitSnapshot.newBuilder(visit()).setCurrent(null).build();

        Map<String, Object> tree = WebhookBody.of(new EnrichedCall(endedCall().build(), visit, YEKATERINBURG)).tree();

        assertThat(object(tree, "visit_info", "current")).containsOnlyKeys(utmKeys()).allSatisfy((k, v) -> assertThat(v).isNull());
        assertThat(object(tree, "visit_info", "first")).containsEntry("utm_source", "google");
    }

    @Test
    void withoutGeoTheGeoKeysAreNull() {
        Map<String, Object> tree = WebhookBody.of(new EnrichedCall(endedCall().build(), visit(), null)).tree();

        assertThat(tree).containsEntry("country", null).containsEntry("city", null)
                .containsEntry("region", null).containsEntry("district", null);
    }

    @Test
    void clientIdsComeFromTheCallFirstThenFromTheVisit() {
        Map<String, Object> tree = WebhookBody.of(new EnrichedCall(endedCall()
                .setGaClientId("call-ga").setGaClid(null).setYaClientId("call-ya").setRoistatVisit(null)
                .build(), VisitSnapshot.newBuilder(visit()).setRoistatVisit("visit-roistat").build(), null)).tree();

        assertThat(tree).containsEntry("ga_clientid", "call-ga")
                .containsEntry("ga_clid", "EAIaIQobChMI")
                .containsEntry("ya_clientid", "call-ya")
                .containsEntry("roistat_visit", "visit-roistat");
    }

    @Test
    void ipAndUipAreBothTheClientsIp() {
        Map<String, Object> tree = WebhookBody.of(SampleCalls.enriched(endedCall().setClientIp("198.51.100.1"))).tree();

        assertThat(tree).containsEntry("ip", "198.51.100.1").containsEntry("uip", "198.51.100.1");
    }

    @Test
    void numbersStayNumbersAndTheIdIsALong() {
        Map<String, Object> tree = WebhookBody.of(SampleCalls.enriched(endedCall().setCallId(9_007_199_254_740_991L))).tree();

        assertThat(tree.get("id")).isEqualTo(9_007_199_254_740_991L);
        assertThat(tree.get("status_code")).isEqualTo(200);
        assertThat(object(tree, "visit_info", "session").get("pgs")).isEqualTo(4);
    }

    @Test
    void theTreeCannotBeChangedByARenderer() {
        Map<String, Object> tree = WebhookBody.of(SampleCalls.enriched(endedCall())).tree();

        assertThatThrownBy(() -> tree.put("id", 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> object(tree, "visit_info", "udata").put("uag", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anEnrichedCallNeedsACall() {
        assertThatThrownBy(() -> new EnrichedCall(null, visit(), null)).isInstanceOf(NullPointerException.class);
    }

    private static String[] utmKeys() {
        return new String[] {"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"};
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> tree, String... path) {
        Map<String, Object> object = tree;
        for (String key : path) {
            object = (Map<String, Object>) object.get(key);
        }
        return object;
    }
}
