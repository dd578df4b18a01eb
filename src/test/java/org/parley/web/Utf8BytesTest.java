package org.parley.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8BytesTest {
    @Test
    void piecesComeOutAsTheirTextEncodedInOrderPastTheExpectedSize() {
        var bytes = new Utf8Bytes(1);
        var whole = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            String text = switch (i % 4) {
                case 0 -> "<li>▲ ";
                case 1 -> "<li>مرحبا 😀 ";
                case 2 -> "plain ";
                default -> "Grüße ";
            };
            bytes.append(text).append(i).append(i % 2 == 0).append(" ▼".getBytes(StandardCharsets.UTF_8));
            whole.append(text).append(i).append(i % 2 == 0).append(" ▼");
        }
        assertThat(bytes.size()).isEqualTo(whole.toString().getBytes(StandardCharsets.UTF_8).length);
        assertThat(new String(bytes.toArray(), StandardCharsets.UTF_8)).isEqualTo(whole.toString());
        assertThat(bytes.toArray()).isEqualTo(whole.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nothingAppendedIsNoBytes() {
        assertThat(new Utf8Bytes(100).toArray()).isEmpty();
    }
}
