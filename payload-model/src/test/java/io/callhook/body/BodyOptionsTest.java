package io.callhook.body;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.model.BodyFormat;
import io.callhook.model.CallPhase;
import io.callhook.model.HttpMethod;
import io.callhook.model.Product;
import io.callhook.model.Subscription;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyOptionsTest {

    @Test
    void acceptsRenamesAndParamsAndSortsParamsByName() {
        BodyOptions options = valid(BodyOptions.validate(BodyFormat.FORM, HttpMethod.PUT,
                Map.of("phone2", "client_phone"), Map.of("zeta", "1", "alpha", "2", "Beta", "3")));

        assertThat(options.format()).isEqualTo(BodyFormat.FORM);
        assertThat(options.method()).isEqualTo(HttpMethod.PUT);
        assertThat(options.renames().asMap()).containsExactly(Map.entry("phone2", "client_phone"));
        assertThat(List.copyOf(options.params().keySet())).containsExactly("Beta", "alpha", "zeta");
    }

    @Test
    void nullMapsMeanNone() {
        BodyOptions options = valid(BodyOptions.validate(BodyFormat.JSON, HttpMethod.POST, null, null));

        assertThat(options).isEqualTo(BodyOptions.DEFAULT);
    }

    @Test
    void refusesAMissingFormat() {
        assertThat(errors(BodyOptions.validate(null, HttpMethod.POST, Map.of(), Map.of())))
                .containsExactly("format: missing (JSON or FORM)");
    }

    @Test
    void refusesAMissingMethod() {
        assertThat(errors(BodyOptions.validate(BodyFormat.JSON, null, Map.of(), Map.of())))
                .containsExactly("method: missing (POST, GET, PUT or PATCH)");
    }

    @Test
    void refusesAParamNamedLikeADocumentedKey() {
        assertThat(errors(params(Map.of(), Map.of("id", "7"))))
                .containsExactly("params: \"id\" collides with the body key \"id\"");
    }

    @Test
    void refusesAParamNamedLikeARenamedKey() {
        assertThat(errors(params(Map.of("phone2", "client_phone"), Map.of("client_phone", "x"))))
                .containsExactly("params: \"client_phone\" collides with the body key \"client_phone\" (the renamed \"phone2\")");
    }

    @Test
    void refusesAParamNamedLikeARenamedGroup() {
        assertThat(errors(params(Map.of("visit_info", "utm"), Map.of("utm", "x"))))
                .containsExactly("params: \"utm\" collides with the body key \"utm\" (the renamed \"visit_info\")");
    }

    @Test
    void acceptsAParamNamedLikeAKeyThatWasRenamedAway() {
        BodyOptions options = valid(params(Map.of("phone2", "client_phone"), Map.of("phone2", "x")));

        assertThat(options.params()).containsEntry("phone2", "x");
    }

    @Test
    void acceptsAParamNamedLikeANestedKey() {
        // Only top-level names share the object the params are merged into.
        assertThat(valid(params(Map.of(), Map.of("uag", "x"))).params()).containsKey("uag");
    }

    @Test
    void refusesAnInvalidParamName() {
        assertThat(errors(params(Map.of(), Map.of("api key", "x")))).singleElement().asString()
                .startsWith("params: \"api key\" is not a valid parameter name");
    }

    @Test
    void refusesAParamNameWithBrackets() {
        // visit_info[x]=1 would be read by form parsers as a key inside visit_info.
        assertThat(errors(params(Map.of(), Map.of("visit_info[x]", "1")))).singleElement().asString()
                .startsWith("params: \"visit_info[x]\" is not a valid parameter name");
    }

    @Test
    void refusesAParamWithoutValue() {
        Map<String, String> params = new HashMap<>();
        params.put("secret", null);

        assertThat(errors(params(Map.of(), params)))
                .containsExactly("params: \"secret\" has no value (use \"\" for an empty one)");
    }

    @Test
    void acceptsAnEmptyParamValue() {
        assertThat(valid(params(Map.of(), Map.of("secret", ""))).params()).containsEntry("secret", "");
    }

    @Test
    void includesTheRenameErrors() {
        assertThat(errors(params(Map.of("nope", "x"), Map.of())))
                .containsExactly("renames: \"nope\" is not a documented key");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(errors(BodyOptions.validate(null, null, Map.of("nope", "x"), Map.of("tags", "t", "bad name", ""))))
                .hasSize(5);
    }

    @Test
    void validatesASubscription() {
        Subscription subscription = Subscription.newBuilder()
                .setId("sub-1").setAccountId(42L).setProduct(Product.CALLTRACKING)
                .setUrl("https://crm.example.com/hooks").setMethod(HttpMethod.GET).setFormat(BodyFormat.FORM)
                .setEvents(List.of(CallPhase.ENDED))
                .setRenames(Map.of("visit_info.udata.uag", "user_agent")).setParams(Map.of("secret", "s"))
                .setCreatedAt(Instant.EPOCH).setUpdatedAt(Instant.EPOCH)
                .build();

        BodyOptions options = valid(BodyOptions.validate(subscription));

        assertThat(options.method()).isEqualTo(HttpMethod.GET);
        assertThat(options.renames().asMap()).containsEntry("visit_info.udata.uag", "user_agent");
        assertThat(options.params()).containsEntry("secret", "s");
    }

    @Test
    void toStringLeavesParamValuesOut() {
        BodyOptions options = valid(params(Map.of(), Map.of("secret", "hunter2")));

        assertThat(options.toString()).contains("secret").doesNotContain("hunter2");
    }

    private static Validated<BodyOptions> params(Map<String, String> renames, Map<String, String> params) {
        return BodyOptions.validate(BodyFormat.JSON, HttpMethod.POST, renames, params);
    }

    private static BodyOptions valid(Validated<BodyOptions> result) {
        assertThat(result).isInstanceOf(Validated.Valid.class);
        return ((Validated.Valid<BodyOptions>) result).value();
    }

    private static List<String> errors(Validated<BodyOptions> result) {
        assertThat(result).isInstanceOf(Validated.Invalid.class);
        return ((Validated.Invalid<BodyOptions>) result).errors();
    }
}
