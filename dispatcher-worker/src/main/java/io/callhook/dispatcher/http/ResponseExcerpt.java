package io.callhook.dispatcher.http;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The start of a response body, for the attempt log. The whole body is read (so the connection
 * can be reused) but only the first {@code cap} bytes are kept: memory per in-flight response is
 * bounded however much a receiver sends. Confined to one Vert.x context, like the response.
 */
final class ResponseExcerpt {

    private final int cap;
    /** Made at the first piece of body: most answers (204) have none. */
    private Buffer head;
    private long total;

    ResponseExcerpt(int cap) {
        if (cap < 0) {
            throw new IllegalArgumentException("negative cap " + cap);
        }
        this.cap = cap;
    }

    /** Takes the next piece of the body; what lies beyond the cap is counted and dropped. */
    void append(Buffer data) {
        if (head == null && cap > 0 && data.length() > 0) {
            head = Buffer.buffer(Math.min(cap, 1024));
        }
        int room = head == null ? 0 : cap - head.length();
        if (room > 0) {
            head.appendBuffer(data, 0, Math.min(room, data.length()));
        }
        total += data.length();
    }

    /** Bytes of body seen so far, kept or not. */
    long totalBytes() {
        return total;
    }

    /** The kept bytes as text; see {@link #decode}. */
    String text() {
        return head == null ? "" : decode(head.getBytes(), total > head.length());
    }

    /**
     * Lenient UTF-8: malformed bytes become U+FFFD. When the body was cut, a character split by
     * the cut is dropped rather than shown as U+FFFD, which would read like a receiver's bug.
     */
    static String decode(byte[] bytes, boolean truncated) {
        if (bytes.length == 0) {
            return ""; // the usual 204: no decoder, no buffer
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        decoder.decode(ByteBuffer.wrap(bytes), out, !truncated);
        if (!truncated) {
            decoder.flush(out);
        }
        return out.flip().toString();
    }
}
