package io.callhook.body;

import static io.callhook.body.SampleCalls.MOSCOW_IN_RUSSIAN;
import static io.callhook.body.SampleCalls.YEKATERINBURG;
import static io.callhook.body.SampleCalls.calltrackingEndedCall;
import static io.callhook.body.SampleCalls.endedCall;
import static io.callhook.body.SampleCalls.enriched;
import static io.callhook.body.SampleCalls.startedCall;
import static io.callhook.body.SampleCalls.visit;
import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.model.BodyFormat;
import io.callhook.model.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The webhook as receivers get it, against golden files in {@code src/test/resources/golden}.
 * They are the contract: regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class WebhookBodyGoldenTest {

    private static final String URL = "https://crm.example.com/hooks/calls";

    private static final Map<String, String> RENAMES = Map.of(
            "visit_info.udata.uag", "user_agent",
            "phone2", "client_phone");
    private static final Map<String, String> PARAMS = Map.of(
            "secret", "s3cr3t & more",
            "source", "callhook");

    @Test
    void callKeeperCallAtStart() {
        RenderedWebhook webhook = WebhookBodyRenderer.render(enriched(startedCall()), BodyOptions.DEFAULT, URL);

        assertThat(webhook.contentType()).isEqualTo("application/json");
        GoldenFiles.assertJson("callkeeper-started.json", webhook.body());
    }

    @Test
    void callKeeperCallAtEnd() {
        RenderedWebhook webhook = WebhookBodyRenderer.render(enriched(endedCall()), BodyOptions.DEFAULT, URL);

        GoldenFiles.assertJson("callkeeper-ended.json", webhook.body());
    }

    @Test
    void calltrackingCallWithRenamedKeysAndParams() {
        RenderedWebhook webhook = WebhookBodyRenderer.render(
                enriched(calltrackingEndedCall()), options(BodyFormat.JSON, HttpMethod.POST), URL);

        assertThat(webhook.contentType()).isEqualTo("application/json");
        GoldenFiles.assertJson("calltracking-renamed.json", webhook.body());
    }

    @Test
    void calltrackingCallFormEncoded() {
        RenderedWebhook webhook = WebhookBodyRenderer.render(
                enriched(calltrackingEndedCall()), options(BodyFormat.FORM, HttpMethod.POST), URL);

        assertThat(webhook.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(webhook.url()).isEqualTo(URL);
        GoldenFiles.assertText("calltracking-renamed.form.txt", webhook.bodyText());
    }

    @Test
    void calltrackingCallAsGet() {
        RenderedWebhook webhook = WebhookBodyRenderer.render(enriched(calltrackingEndedCall()),
                options(BodyFormat.JSON, HttpMethod.GET), URL + "?account=42#section");

        assertThat(webhook.contentType()).isNull();
        assertThat(webhook.body()).isEmpty();
        GoldenFiles.assertText("calltracking-renamed.get.txt", webhook.url());
    }

    @Test
    void callWithoutVisitAsJson() {
        RenderedWebhook webhook = WebhookBodyRenderer.render(withoutVisit(), BodyOptions.DEFAULT, URL);

        GoldenFiles.assertJson("no-visit.json", webhook.body());
    }

    @Test
    void callWithoutVisitAsForm() {
        RenderedWebhook webhook = WebhookBodyRenderer.render(withoutVisit(), options(BodyFormat.FORM), URL);

        GoldenFiles.assertText("no-visit.form.txt", webhook.bodyText());
    }

    @Test
    void nonAsciiValuesAsJson() {
        RenderedWebhook webhook = WebhookBodyRenderer.render(russianCall(), BodyOptions.DEFAULT, URL);

        // Raw UTF-8, not \\u escapes: receivers and people reading logs see the words.
        assertThat(webhook.bodyText()).contains("\"city\":\"Москва\"");
        assertThat(webhook.body()).containsSequence("Москва".getBytes(StandardCharsets.UTF_8));
        GoldenFiles.assertJson("non-ascii.json", webhook.body());
    }

    @Test
    void nonAsciiValuesAsForm() {
        RenderedWebhook webhook = WebhookBodyRenderer.render(russianCall(), options(BodyFormat.FORM), URL);

        assertThat(webhook.bodyText()).contains("&city=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&");
        GoldenFiles.assertText("non-ascii.form.txt", webhook.bodyText());
    }

    private static EnrichedCall withoutVisit() {
        return new EnrichedCall(calltrackingEndedCall().build(), null, YEKATERINBURG);
    }

    private static EnrichedCall russianCall() {
        return new EnrichedCall(endedCall().setWidgetName("Виджет «Обратный звонок»").build(), visit(), MOSCOW_IN_RUSSIAN);
    }

    private static BodyOptions options(BodyFormat format, HttpMethod method) {
        return valid(BodyOptions.validate(format, method, RENAMES, PARAMS));
    }

    private static BodyOptions options(BodyFormat format) {
        return valid(BodyOptions.validate(format, HttpMethod.POST, Map.of(), Map.of()));
    }

    static BodyOptions valid(Validated<BodyOptions> result) {
        assertThat(result).isInstanceOf(Validated.Valid.class);
        return ((Validated.Valid<BodyOptions>) result).value();
    }
}
