package io.callhook.dispatcher.http;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseExcerptTest {

    @Test
    void keepsOnlyTheFirstBytesOfALargeBody() {
        ResponseExcerpt excerpt = new ResponseExcerpt(4096);
        for (int i = 0; i < 10; i++) {
            excerpt.append(Buffer.buffer("x".repeat(1024)));
        }

        assertThat(excerpt.text()).hasSize(4096).matches("x+");
        assertThat(excerpt.totalBytes()).isEqualTo(10 * 1024);
    }

    @Test
    void aBodyWithinTheCapIsKeptWholeAcrossPieces() {
        ResponseExcerpt excerpt = new ResponseExcerpt(4096);
        excerpt.append(Buffer.buffer("{\"error\":"));
        excerpt.append(Buffer.buffer("\"nope\"}"));

        assertThat(excerpt.text()).isEqualTo("{\"error\":\"nope\"}");
    }

    @Test
    void aPieceStraddlingTheCapIsCutAtTheCap() {
        ResponseExcerpt excerpt = new ResponseExcerpt(5);
        excerpt.append(Buffer.buffer("abc"));
        excerpt.append(Buffer.buffer("defgh"));

        assertThat(excerpt.text()).isEqualTo("abcde");
    }

    @Test
    void aCharacterCutByTheCapIsDroppedNotMangled() {
        // "é" is two bytes; a cap of 3 cuts the second "é" in half.
        ResponseExcerpt excerpt = new ResponseExcerpt(3);
        excerpt.append(Buffer.buffer("éé"));

        assertThat(excerpt.text()).isEqualTo("é");
    }

    @Test
    void malformedBytesAreReplacedNotFatal() {
        assertThat(ResponseExcerpt.decode(new byte[]{'o', 'k', (byte) 0xff, '!'}, false)).isEqualTo("ok\uFFFD!");
        // A whole body ending in half a character shows it replaced (the receiver sent it so);
        // a cut body drops it (the cut made it).
        assertThat(ResponseExcerpt.decode(new byte[]{'a', (byte) 0xc3}, false)).isEqualTo("a\uFFFD");
        assertThat(ResponseExcerpt.decode(new byte[]{'a', (byte) 0xc3}, true)).isEqualTo("a");
        assertThat(ResponseExcerpt.decode("é".getBytes(StandardCharsets.UTF_8), true)).isEqualTo("é");
    }

    @Test
    void aZeroCapKeepsNothingButCountsEverything() {
        ResponseExcerpt excerpt = new ResponseExcerpt(0);
        excerpt.append(Buffer.buffer("ignored"));

        assertThat(excerpt.text()).isEmpty();
        assertThat(excerpt.totalBytes()).isEqualTo(7);
    }
}
