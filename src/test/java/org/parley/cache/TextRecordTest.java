package org.parley.cache;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextRecordTest {

    @Test
    void anyCharactersRoundTripIncludingTheSeparatorAndNestedLists() {
        String text = TextRecord.of(42L, "a:b 3:x\n\u0000é😀", "", true,
                List.of("https://a.example", "http://localhost:8080"));

        List<String> fields = TextRecord.parse(text, 5);

        assertThat(fields).containsExactly("42", "a:b 3:x\n\u0000é😀", "", "true",
                TextRecord.of("https://a.example", "http://localhost:8080"));
        assertThat(TextRecord.parse(fields.get(4))).containsExactly("https://a.example", "http://localhost:8080");
        assertThat(TextRecord.bool(fields.get(3))).isTrue();
    }

    @Test
    void aDamagedOrForeignValueIsRefusedNotMisread() {
        assertThatThrownBy(() -> TextRecord.parse("5:abc", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs past the end");
        assertThatThrownBy(() -> TextRecord.parse("hello", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextRecord.parse("1:a1:b", 3)).hasMessage("expected 3 fields, found 2");
        assertThatThrownBy(() -> TextRecord.bool("yes")).isInstanceOf(IllegalArgumentException.class);
    }
}
