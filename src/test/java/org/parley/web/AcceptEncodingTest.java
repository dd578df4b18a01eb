package org.parley.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptEncodingTest {
    @Test
    void browsersAcceptBrotliAndGzip() {
        var chromium = List.of("gzip, deflate, br, zstd");
        assertThat(AcceptEncoding.accepts(chromium, "br")).isTrue();
        assertThat(AcceptEncoding.accepts(chromium, "gzip")).isTrue();
    }

    @Test
    void aCodingNotListedIsNotAccepted() {
        assertThat(AcceptEncoding.accepts(List.of("gzip"), "br")).isFalse();
        assertThat(AcceptEncoding.accepts(List.of(), "gzip")).isFalse();
        assertThat(AcceptEncoding.accepts(List.of("identity"), "gzip")).isFalse();
    }

    @Test
    void weightsAreReadAndZeroRefuses() {
        assertThat(AcceptEncoding.accepts(List.of("br;q=0, gzip;q=0.5"), "br")).isFalse();
        assertThat(AcceptEncoding.accepts(List.of("br;q=0, gzip;q=0.5"), "gzip")).isTrue();
        assertThat(AcceptEncoding.accepts(List.of("BR; Q=0.8"), "br")).isTrue();
        assertThat(AcceptEncoding.accepts(List.of("gzip;q=oops"), "gzip")).isFalse();
    }

    @Test
    void aStarCoversWhatIsNotListed() {
        assertThat(AcceptEncoding.accepts(List.of("*"), "br")).isTrue();
        assertThat(AcceptEncoding.accepts(List.of("gzip;q=0, *"), "gzip")).isFalse();
        assertThat(AcceptEncoding.accepts(List.of("*;q=0"), "gzip")).isFalse();
    }

    @Test
    void severalHeaderLinesCount() {
        assertThat(AcceptEncoding.accepts(List.of("gzip", "br"), "br")).isTrue();
    }
}
