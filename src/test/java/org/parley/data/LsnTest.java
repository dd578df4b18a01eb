package org.parley.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsnTest {
    @Test
    void readsPostgresNotationAndWritesItBack() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo(0x16B374D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/0").value()).isZero();
        assertThat(Lsn.parse(null)).isNull();
    }

    @Test
    void comparesAcrossTheHalvesAndAsUnsigned() {
        assertThat(Lsn.parse("1/0")).isGreaterThan(Lsn.parse("0/FFFFFFFF"));
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF")).isGreaterThan(Lsn.parse("7FFFFFFF/FFFFFFFF"));
        assertThat(Lsn.parse("1/10").atLeast(Lsn.parse("1/10"))).isTrue();
        assertThat(Lsn.parse("1/F").atLeast(Lsn.parse("1/10"))).isFalse();
        assertThat(Lsn.parse("1/10").bytesAfter(Lsn.parse("1/0"))).isEqualTo(16);
        assertThat(Lsn.parse("1/0").bytesAfter(Lsn.parse("1/10"))).isZero();
    }

    @Test
    void hexFormRoundTripsAndRefusesAnythingElse() {
        Lsn lsn = Lsn.parse("FFFFFFFF/FFFFFFFF");
        assertThat(Lsn.fromHex(lsn.hex())).isEqualTo(lsn);
        assertThat(Lsn.fromHex("3568490")).isEqualTo(Lsn.parse("0/3568490"));
        for (String bad : new String[]{"", "+1a", "-1", "12345678901234567", "XYZ", "AB"}) {
            assertThatThrownBy(() -> Lsn.fromHex(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Lsn.parse("16B374D848")).isInstanceOf(IllegalArgumentException.class);
    }
}
