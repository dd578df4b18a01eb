package org.parley.cache;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheKeysTest {

    @Test
    void plainPartsStayReadableUnderTheNamespace() {
        assertThat(CacheKeys.of("site", "v1", "name", "default")).isEqualTo("p1:site:v1:name:default");
        assertThat(CacheKeys.of("account", "v1", 42L)).isEqualTo("p1:account:v1:42");
    }

    @Test
    void spacesControlCharactersAndColonsAreEscapedSoNoKeyCanBreakTheProtocol() {
        String key = CacheKeys.of("thread", 7, "a b\r\nset x 0 0 1:\u0000é");

        assertThat(key).isEqualTo("p1:thread:7:a%20b%0d%0aset%20x%200%200%201%3a%00%c3%a9");
        assertThat(key.chars()).allMatch(c -> c > 32 && c < 127);
    }

    @Test
    void differentPartListsNeverJoinToTheSameKey() {
        assertThat(CacheKeys.of("thread", "1:x", "y")).isNotEqualTo(CacheKeys.of("thread", "1", "x:y"));
        assertThat(CacheKeys.of("thread", "a%3ab")).isNotEqualTo(CacheKeys.of("thread", "a:b"));
    }

    @Test
    void aLongKeyIsHashedAndStaysShortStableAndDistinct() {
        String longPart = "x".repeat(500);
        String key = CacheKeys.of("thread", 7, longPart);

        assertThat(key).startsWith("p1:thread:#").hasSize("p1:thread:#".length() + 64);
        assertThat(CacheKeys.of("thread", 7, longPart)).isEqualTo(key);
        assertThat(CacheKeys.of("thread", 7, longPart + "y")).isNotEqualTo(key);
        assertThat(key.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(CacheKeys.MAX_KEY_BYTES);
    }

    @Test
    void aKeyThatEscapesPastTheLimitIsHashedToo() {
        String key = CacheKeys.of("thread", "ü".repeat(40)); // 80 bytes of UTF-8, 240 characters escaped

        assertThat(key).startsWith("p1:thread:#");
    }

    @Test
    void aKindMustLookLikeAConstant() {
        assertThatThrownBy(() -> CacheKeys.of("Site name", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 'Site name'");
    }
}
