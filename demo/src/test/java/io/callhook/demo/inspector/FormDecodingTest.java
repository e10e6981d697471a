package io.callhook.demo.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.demo.inspector.ReceivedWebhook.Pair;
import org.junit.jupiter.api.Test;

class FormDecodingTest {

    @Test
    void decodesPairsInOrderKeepingRepeats() {
        assertThat(FormDecoding.decode("id=42&hook_event=Call+is+over&utm_term=%D0%BA%D1%83%D0%BF%D0%B8%D1%82%D1%8C&tag=a&tag=b&flag&="))
                .containsExactly(new Pair("id", "42"), new Pair("hook_event", "Call is over"), new Pair("utm_term", "купить"),
                        new Pair("tag", "a"), new Pair("tag", "b"), new Pair("flag", ""), new Pair("", ""));
    }

    @Test
    void keepsWhatIsNotValidEncoding() {
        assertThat(FormDecoding.decode("a=100%&b=%zz&c=%4&d=диван😀")).containsExactly(
                new Pair("a", "100%"), new Pair("b", "%zz"), new Pair("c", "%4"), new Pair("d", "диван😀"));
        assertThat(FormDecoding.decode("bad=%FF")).containsExactly(new Pair("bad", "\uFFFD"));
    }

    @Test
    void recognisesContentTypes() {
        assertThat(FormDecoding.isForm("application/x-www-form-urlencoded; charset=UTF-8")).isTrue();
        assertThat(FormDecoding.isForm("Application/X-WWW-Form-Urlencoded")).isTrue();
        assertThat(FormDecoding.isForm("multipart/form-data")).isFalse();
        assertThat(FormDecoding.isForm(null)).isFalse();
        assertThat(FormDecoding.isJson("application/json;charset=utf-8")).isTrue();
        assertThat(FormDecoding.isJson("application/problem+json")).isTrue();
        assertThat(FormDecoding.isJson("text/plain")).isFalse();
    }
}
