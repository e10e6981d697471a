package io.callhook.body;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callhook.model.BodyFormat;
import io.callhook.model.HttpMethod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebhookBodyRendererTest {

    private static final String URL = "https://crm.example.com/hooks";

    private final ObjectMapper mapper = new ObjectMapper();
    private final WebhookBody body = WebhookBody.of(SampleCalls.enriched(SampleCalls.endedCall()));

    @ParameterizedTest
    @EnumSource(value = HttpMethod.class, names = {"POST", "PUT", "PATCH"})
    void methodsWithABodySendJson(HttpMethod method) {
        RenderedWebhook webhook = WebhookBodyRenderer.render(body, options(BodyFormat.JSON, method), URL);

        assertThat(webhook.url()).isEqualTo(URL);
        assertThat(webhook.contentType()).isEqualTo("application/json");
        assertThat(webhook.bodyText()).startsWith("{\"id\":1543925,\"visit_info\":{\"current\":{");
    }

    @ParameterizedTest
    @EnumSource(value = HttpMethod.class, names = {"POST", "PUT", "PATCH"})
    void methodsWithABodySendAForm(HttpMethod method) {
        RenderedWebhook webhook = WebhookBodyRenderer.render(body, options(BodyFormat.FORM, method), URL);

        assertThat(webhook.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(webhook.bodyText()).startsWith("id=1543925&visit_info%5Bcurrent%5D%5Butm_source%5D=yandex&");
    }

    @ParameterizedTest
    @EnumSource(BodyFormat.class)
    void getPutsTheFormPairsInTheQueryWhateverTheFormat(BodyFormat format) {
        RenderedWebhook get = WebhookBodyRenderer.render(body, options(format, HttpMethod.GET), URL);
        RenderedWebhook form = WebhookBodyRenderer.render(body, options(BodyFormat.FORM, HttpMethod.POST), URL);

        assertThat(get.contentType()).isNull();
        assertThat(get.body()).isEmpty();
        assertThat(get.url()).isEqualTo(URL + "?" + form.bodyText());
        assertThat(get.query()).as("the pairs apart, for the sender to add to the current URL").isEqualTo(form.bodyText());
        assertThat(form.query()).isNull();
    }

    @Test
    void jsonKeepsNumbersNumbersAndNullsNull() throws IOException {
        JsonNode json = mapper.readTree(WebhookBodyRenderer.render(body, BodyOptions.DEFAULT, URL).body());

        assertThat(json.get("id").isIntegralNumber()).isTrue();
        assertThat(json.get("date_timestamp").isIntegralNumber()).isTrue();
        assertThat(json.at("/visit_info/session/pgs").isIntegralNumber()).isTrue();
        assertThat(json.get("duration_min").isTextual()).isTrue();
        assertThat(json.get("roistat_visit").isNull()).isTrue();
    }

    @Test
    void jsonWritesCharactersBeyondTheBmpAsUtf8() throws IOException {
        EnrichedCall call = SampleCalls.enriched(SampleCalls.endedCall().setTags("VIP \uD83D\uDE00").setWidgetName("lone \uDC00"));

        RenderedWebhook webhook = WebhookBodyRenderer.render(call, BodyOptions.DEFAULT, URL);

        assertThat(webhook.bodyText()).contains("\"tags\":\"VIP \uD83D\uDE00\"");
        // A lone surrogate cannot be UTF-8: it stays an escape, and the body stays valid JSON.
        assertThat(webhook.bodyText()).contains("\"widget_name\":\"lone \\uDC00\"");
        assertThat(mapper.readTree(webhook.body()).get("tags").textValue()).isEqualTo("VIP \uD83D\uDE00");
    }

    @Test
    void paramsComeAfterTheDocumentedKeys() throws IOException {
        BodyOptions options = valid(BodyOptions.validate(BodyFormat.JSON, HttpMethod.POST,
                Map.of("tags", "labels"), Map.of("secret", "s", "account", "42")));

        JsonNode json = mapper.readTree(WebhookBodyRenderer.render(body, options, URL).body());

        List<String> keys = fieldNames(json);
        assertThat(keys.subList(keys.size() - 3, keys.size())).containsExactly("labels", "account", "secret");
        assertThat(json.get("account").textValue()).isEqualTo("42");
    }

    @Test
    void renderingForOneSubscriptionLeavesTheBodyForTheNext() {
        BodyOptions renamed = valid(BodyOptions.validate(BodyFormat.JSON, HttpMethod.POST,
                Map.of("visit_info", "utm", "phone2", "client_phone"), Map.of()));

        WebhookBodyRenderer.render(body, renamed, URL);
        RenderedWebhook plain = WebhookBodyRenderer.render(body, BodyOptions.DEFAULT, URL);

        assertThat(plain.bodyText()).contains("\"visit_info\":").contains("\"phone2\":").doesNotContain("client_phone");
    }

    @Test
    void rendersTheSameBytesForTheSameInput() {
        RenderedWebhook first = WebhookBodyRenderer.render(SampleCalls.enriched(SampleCalls.endedCall()), BodyOptions.DEFAULT, URL);
        RenderedWebhook second = WebhookBodyRenderer.render(SampleCalls.enriched(SampleCalls.endedCall()), BodyOptions.DEFAULT, URL);

        assertThat(first).isEqualTo(second);
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.properties().forEach(property -> names.add(property.getKey()));
        return names;
    }

    private static BodyOptions options(BodyFormat format, HttpMethod method) {
        return valid(BodyOptions.validate(format, method, Map.of(), Map.of()));
    }

    private static BodyOptions valid(Validated<BodyOptions> result) {
        assertThat(result).isInstanceOf(Validated.Valid.class);
        return ((Validated.Valid<BodyOptions>) result).value();
    }
}
