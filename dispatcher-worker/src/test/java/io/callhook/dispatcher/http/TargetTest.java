package io.callhook.dispatcher.http;

import io.callhook.dispatcher.signing.SignedContent;
import io.callhook.model.HttpMethod;
import io.callhook.net.UrlHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TargetTest {

    @Test
    void defaultPortsPathAndQueryFragmentDropped() throws Exception {
        assertThat(valid("https://hooks.example.com/in?a=1&b=%20#frag"))
                .isEqualTo(new Target(true, new UrlHost.Name("hooks.example.com"), 443, "/in?a=1&b=%20", "hooks.example.com"));
        assertThat(valid("http://hooks.example.com"))
                .isEqualTo(new Target(false, new UrlHost.Name("hooks.example.com"), 80, "/", "hooks.example.com"));
        assertThat(valid("HTTP://Hooks.Example.COM.:8080/x"))
                .isEqualTo(new Target(false, new UrlHost.Name("hooks.example.com"), 8080, "/x", "hooks.example.com."));
        Target ipv6 = valid("http://[0::1]:9000/");
        assertThat(ipv6.host()).isEqualTo(new UrlHost.Literal(InetAddress.getByAddress(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})));
        assertThat(ipv6.uriHost()).isEqualTo("[0::1]");
    }

    @Test
    void unsafeOrUnreadableUrlsAreInvalid() {
        assertThat(reason("ftp://example.com/")).contains("http");
        assertThat(reason("http://user:secret@example.com/")).contains("user name or password");
        assertThat(reason("http://exa mple.com/")).contains("space");
        assertThat(reason("http://example.com:0/")).contains("port 0");
        assertThat(reason("http://[fe80::1%25eth0]/")).contains("zone");
        // Read as 127.0.0.1 by browsers and the guard, but java.net.URI cannot read it as a host at all.
        assertThat(reason("http://%31%32%37.0.0.1/")).isNotEmpty();
    }

    /** A GET's signature covers its query as sent: the signer must read the same query the sender sends. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://h.example/in?a=1&b=%20#frag", "http://h.example", "http://h.example/?", "http://h.example/p?",
            "http://h.example/p?x=%2B7&y=a+b&z=%D0%9C", "http://h.example/p?q=?&r=/", "http://h.example/p#only?fragment",
            "http://h.example:81/p?account=42&visit_info%5Bcurrent%5D%5Butm_source%5D=yandex"})
    void theSignedQueryIsTheQuerySent(String url) {
        String requestUri = valid(url).requestUri();
        String sent = requestUri.contains("?") ? requestUri.substring(requestUri.indexOf('?') + 1) : "";
        ByteBuffer signed = SignedContent.of(HttpMethod.GET, url, ByteBuffer.allocate(0));

        assertThat(StandardCharsets.UTF_8.decode(signed).toString()).isEqualTo(sent);
    }

    private static Target valid(String url) {
        Target.Parsed parsed = Target.parse(url);
        assertThat(parsed).isInstanceOf(Target.Valid.class);
        return ((Target.Valid) parsed).target();
    }

    private static String reason(String url) {
        Target.Parsed parsed = Target.parse(url);
        assertThat(parsed).as(url).isInstanceOf(Target.Invalid.class);
        return ((Target.Invalid) parsed).reason();
    }
}
