package io.callhook.body;

import static io.callhook.body.WebhookBodyTest.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyRenamesTest {

    private final Map<String, Object> tree = WebhookBody.of(SampleCalls.enriched(SampleCalls.endedCall())).tree();

    @Test
    void aNestedKeyIsRenamedInPlace() {
        Map<String, Object> renamed = valid(Map.of("visit_info.udata.uag", "user_agent")).apply(tree);

        assertThat(object(renamed, "visit_info", "udata")).containsOnlyKeys("vst", "user_agent");
        assertThat(List.copyOf(object(renamed, "visit_info", "udata").keySet())).containsExactly("vst", "user_agent");
        assertThat(object(renamed, "visit_info", "udata").get("user_agent")).isEqualTo(object(tree, "visit_info", "udata").get("uag"));
    }

    @Test
    void aTopLevelKeyKeepsItsPosition() {
        Map<String, Object> renamed = valid(Map.of("phone2", "client_phone")).apply(tree);

        List<String> keys = List.copyOf(renamed.keySet());
        assertThat(keys.indexOf("client_phone")).isEqualTo(List.copyOf(tree.keySet()).indexOf("phone2"));
        assertThat(renamed).doesNotContainKey("phone2").containsEntry("client_phone", "+79161234567");
    }

    @Test
    void renamingAGroupRenamesTheObjectAndPathsStayOriginal() {
        Map<String, Object> renamed = valid(Map.of(
                "visit_info", "utm",
                "visit_info.udata.uag", "user_agent")).apply(tree);

        assertThat(renamed).doesNotContainKey("visit_info");
        assertThat(List.copyOf(renamed.keySet()).get(1)).isEqualTo("utm");
        assertThat(object(renamed, "utm", "udata")).containsOnlyKeys("vst", "user_agent");
        assertThat(object(renamed, "utm", "current")).isSameAs(object(tree, "visit_info", "current"));
    }

    @Test
    void twoKeysMaySwapNames() {
        Map<String, Object> renamed = valid(Map.of("phone1", "phone2", "phone2", "phone1")).apply(tree);

        assertThat(renamed).containsEntry("phone1", "+79161234567").containsEntry("phone2", "+74951234567 [101]");
    }

    @Test
    void noRenamesLeaveTheTreeAsItIs() {
        assertThat(valid(Map.of()).apply(tree)).isSameAs(tree);
        assertThat(valid(null)).isSameAs(KeyRenames.NONE);
    }

    @Test
    void refusesAnUnknownPath() {
        assertThat(errors(Map.of("visit_info.udata.ua", "user_agent")))
                .containsExactly("renames: \"visit_info.udata.ua\" is not a documented key");
    }

    @Test
    void refusesAPathWithRenamedNames() {
        // Paths name the ORIGINAL keys, even when a group above is renamed too.
        assertThat(errors(Map.of("visit_info", "utm", "utm.udata.uag", "user_agent")))
                .containsExactly("renames: \"utm.udata.uag\" is not a documented key");
    }

    @Test
    void refusesANameWithASpace() {
        assertThat(errors(Map.of("phone2", "client phone"))).singleElement().asString()
                .startsWith("renames: \"phone2\" -> \"client phone\" is not a valid key name");
    }

    @Test
    void refusesANameStartingWithADigit() {
        assertThat(errors(Map.of("phone2", "2phone"))).singleElement().asString()
                .startsWith("renames: \"phone2\" -> \"2phone\" is not a valid key name");
    }

    @Test
    void refusesBracketsAndDotsThatWouldLookLikeNesting() {
        assertThat(errors(Map.of("phone2", "client[phone]", "phone1", "manager.phone")))
                .hasSize(2).allSatisfy(error -> assertThat(error).contains("is not a valid key name"));
    }

    @Test
    void refusesAnEmptyName() {
        assertThat(errors(Map.of("phone2", ""))).singleElement().asString()
                .startsWith("renames: \"phone2\" -> \"\" is not a valid key name");
    }

    @Test
    void refusesANullName() {
        Map<String, String> renames = new HashMap<>();
        renames.put("phone2", null);

        assertThat(errors(renames)).singleElement().asString()
                .startsWith("renames: \"phone2\" -> null is not a valid key name");
    }

    @Test
    void refusesANameLongerThan64Characters() {
        assertThat(valid(Map.of("phone2", "p".repeat(64))).asMap()).containsEntry("phone2", "p".repeat(64));
        assertThat(errors(Map.of("phone2", "p".repeat(65)))).singleElement().asString()
                .contains("\"phone2\"").contains("is not a valid key name");
    }

    @Test
    void acceptsLettersDigitsUnderscoreAndDash() {
        assertThat(valid(Map.of("phone2", "_Client-Phone_2")).asMap()).containsEntry("phone2", "_Client-Phone_2");
    }

    @Test
    void refusesARenameOntoASiblingThatKeepsItsName() {
        assertThat(errors(Map.of("phone2", "phone1")))
                .containsExactly("renames: \"phone1\" and \"phone2\" would both be named \"phone1\"");
    }

    @Test
    void refusesTwoKeysRenamedToTheSameName() {
        assertThat(errors(Map.of("phone1", "phone", "phone2", "phone")))
                .containsExactly("renames: \"phone1\" and \"phone2\" would both be named \"phone\"");
    }

    @Test
    void refusesACollisionInsideANestedObject() {
        assertThat(errors(Map.of("visit_info.current.utm_source", "utm_medium")))
                .containsExactly("renames: \"visit_info.current.utm_source\" and \"visit_info.current.utm_medium\""
                        + " would both be named \"utm_medium\"");
    }

    @Test
    void refusesAGroupRenamedOntoATopLevelKey() {
        assertThat(errors(Map.of("visit_info", "id")))
                .containsExactly("renames: \"id\" and \"visit_info\" would both be named \"id\"");
    }

    @Test
    void sameNamesInDifferentObjectsDoNotCollide() {
        assertThat(valid(Map.of("visit_info.current.utm_source", "source", "visit_info.first.utm_source", "source"))
                .asMap()).hasSize(2);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(errors(Map.of("nope", "x", "phone2", "bad name", "phone1", "id"))).hasSize(3);
    }

    private static KeyRenames valid(Map<String, String> renames) {
        Validated<KeyRenames> result = KeyRenames.parse(renames);
        assertThat(result).isInstanceOf(Validated.Valid.class);
        return ((Validated.Valid<KeyRenames>) result).value();
    }

    private static List<String> errors(Map<String, String> renames) {
        Validated<KeyRenames> result = KeyRenames.parse(renames);
        assertThat(result).isInstanceOf(Validated.Invalid.class);
        return ((Validated.Invalid<KeyRenames>) result).errors();
    }
}
