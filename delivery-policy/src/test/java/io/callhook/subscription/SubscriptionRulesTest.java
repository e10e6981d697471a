package io.callhook.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.body.Validated;
import io.callhook.model.Product;
import io.callhook.model.SampleSubscriptions;
import io.callhook.model.Subscription;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubscriptionRulesTest {

    private static final SubscriptionRules RULES = new SubscriptionRules(url -> Optional.empty());

    private static Subscription withHeaders(Map<String, String> headers) {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        return SampleSubscriptions.of("sub-1", 42, Product.CALLKEEPER, "https://crm.example.com/hook",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", now).setHeaders(headers).build();
    }

    @Test
    void distinctHeadersPass() {
        assertThat(RULES.check("sub-1", withHeaders(Map.of("X-A", "1", "X-B", "2")))).isInstanceOf(Validated.Valid.class);
    }

    @Test
    void headerNamesDifferingOnlyInCaseAreOneHeaderGivenTwice() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-A", "1");
        headers.put("x-a", "2");
        headers.put("X-Other", "3");

        Validated<Subscription> checked = RULES.check("sub-1", withHeaders(headers));

        assertThat(checked).isInstanceOf(Validated.Invalid.class);
        List<String> errors = ((Validated.Invalid<Subscription>) checked).errors();
        assertThat(errors).singleElement().asString()
                .startsWith("headers: ").contains("given twice").containsIgnoringCase("'x-a'").contains("'X-A'");
    }

    @Test
    void reservedHeadersInAnyCaseAreRefused() {
        Validated<Subscription> checked = RULES.check("sub-1", withHeaders(Map.of("webhook-SIGNATURE", "v1,forged")));
        assertThat(((Validated.Invalid<Subscription>) checked).errors()).singleElement().asString()
                .contains("'webhook-SIGNATURE' is set by Callhook");
    }
}
