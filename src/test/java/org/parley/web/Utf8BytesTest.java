package org.parley.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8BytesTest {
    @Test
    void piecesComeOutAsTheirTextEncodedInOrderPastTheExpectedSize() {
        var bytes = new Utf8Bytes(1);
        var piece = new StringBuilder();
        var whole = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            String text = i % 3 == 0 ? "<li>▲ " + i + " ▼</li>" : i % 3 == 1 ? "<li>مرحبا " + i + "</li>" : "plain " + i;
            piece.append(text);
            whole.append(text);
            bytes.take(piece);
            assertThat(piece).isEmpty(); // handed over, ready for the next piece
        }
        assertThat(new String(bytes.toArray(), StandardCharsets.UTF_8)).isEqualTo(whole.toString());
        assertThat(bytes.toArray()).isEqualTo(whole.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nothingTakenIsNoBytes() {
        assertThat(new Utf8Bytes(100).toArray()).isEmpty();
    }
}
