package org.parley.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void numbersAreTheirDecimalDigits() {
        var bytes = new Utf8Bytes(1);
        var whole = new StringBuilder();
        for (long n : new long[]{0, 7, 9, 10, 99, 100, 776479342237581323L, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE}) {
            bytes.append(n).append(" ");
            whole.append(n).append(" ");
        }
        assertThat(new String(bytes.toArray(), StandardCharsets.UTF_8)).isEqualTo(whole.toString());
    }

    @Test
    void textWithCharactersOfOneToFourBytesIsEncoded() {
        var bytes = new Utf8Bytes(1);
        for (String text : new String[]{"abc\u00e9", "\u00e9", "ab\u25b2cd", "x\ud83d\ude00y", "\u0100", "\u007f", ""}) {
            bytes.append(text);
        }
        String whole = "abc\u00e9\u00e9ab\u25b2cdx\ud83d\ude00y\u0100\u007f";
        assertThat(bytes.toArray()).isEqualTo(whole.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void markupIsCopiedAsItIsAndAnythingButAsciiIsRefusedWhileAssertionsAreOn() {
        var bytes = new Utf8Bytes(1);
        bytes.ascii("<li id=\"comment-").append(42).ascii("\">");
        assertThat(new String(bytes.toArray(), StandardCharsets.UTF_8)).isEqualTo("<li id=\"comment-42\">");
        // the tests run with -ea, as they do here: a word in another language passed as markup fails them
        assertThatThrownBy(() -> new Utf8Bytes(8).ascii("Grüße")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> new Utf8Bytes(8).ascii("▲")).isInstanceOf(AssertionError.class);
    }

    @Test
    void nothingAppendedIsNoBytes() {
        assertThat(new Utf8Bytes(100).toArray()).isEmpty();
    }
}
