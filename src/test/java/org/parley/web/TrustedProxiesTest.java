package org.parley.web;

import org.junit.jupiter.api.Test;
import org.parley.Config;
import org.parley.config.ConfigException;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxiesTest {
    private static final TrustedProxies PROXIES = TrustedProxies.parse("PARLEY_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.5, fd00::/8");

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertThat(PROXIES.clientAddress("203.0.113.7", List.of("1.1.1.1"))).isEqualTo("203.0.113.7");
        assertThat(PROXIES.clientAddress("203.0.113.7", List.of("10.0.0.1, 192.168.1.5"))).isEqualTo("203.0.113.7");
    }

    @Test
    void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() {
        // the visitor forged "1.1.1.1"; nginx (10.0.0.2) appended the real peer, HAProxy (10.0.0.3) appended nginx
        assertThat(PROXIES.clientAddress("10.0.0.3", List.of("1.1.1.1, 198.51.100.4, 10.0.0.2")))
                .isEqualTo("198.51.100.4");
        // the same chain written as separate header lines, as HAProxy's option forwardfor does
        assertThat(PROXIES.clientAddress("10.0.0.3", List.of("1.1.1.1, 198.51.100.4", "10.0.0.2")))
                .isEqualTo("198.51.100.4");
    }

    @Test
    void aPrefixMatchesOnlyItsNetwork() {
        assertThat(PROXIES.clientAddress("192.168.1.5", List.of("198.51.100.4"))).isEqualTo("198.51.100.4");
        assertThat(PROXIES.clientAddress("192.168.1.6", List.of("198.51.100.4"))).isEqualTo("192.168.1.6");
        assertThat(PROXIES.clientAddress("11.0.0.1", List.of("198.51.100.4"))).isEqualTo("11.0.0.1");
        var slash20 = TrustedProxies.parse("K", "172.16.16.0/20");
        assertThat(slash20.clientAddress("172.16.31.255", List.of("198.51.100.4"))).isEqualTo("198.51.100.4");
        assertThat(slash20.clientAddress("172.16.32.0", List.of("198.51.100.4"))).isEqualTo("172.16.32.0");
    }

    @Test
    void ipv6ProxiesAndClientsWork() {
        assertThat(PROXIES.clientAddress("fd00::1", List.of("2001:db8::7"))).isEqualTo("2001:db8::7");
        assertThat(PROXIES.clientAddress("fe80::1", List.of("2001:db8::7"))).isEqualTo("fe80::1");
        assertThat(PROXIES.clientAddress("10.0.0.1", List.of("[2001:db8::7]"))).isEqualTo("2001:db8::7");
    }

    @Test
    void everyAddressHasOneSpellingThatPostgresqlInetAccepts() {
        // what Jetty reports for a browser reaching "localhost" over IPv6
        assertThat(TrustedProxies.normalise("[0:0:0:0:0:0:0:1]")).isEqualTo("::1");
        assertThat(TrustedProxies.normalise("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(TrustedProxies.normalise("2001:DB8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(TrustedProxies.normalise("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(TrustedProxies.normalise("1:0:0:0:0:0:0:0")).isEqualTo("1::");
        assertThat(TrustedProxies.normalise("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(TrustedProxies.normalise("127.0.0.1")).isEqualTo("127.0.0.1");
        // an untrusted IPv6 peer is the client, in the same spelling
        assertThat(PROXIES.clientAddress("[2001:db8:0:0:0:0:0:9]", List.of("1.1.1.1"))).isEqualTo("2001:db8::9");
    }

    @Test
    void whenEveryHopIsTrustedTheLeftmostIsTheClient() {
        assertThat(PROXIES.clientAddress("10.0.0.3", List.of("10.1.1.1, 10.0.0.2"))).isEqualTo("10.1.1.1");
    }

    @Test
    void garbageInTheChainEndsTheWalkAtTheHopThatReportedIt() {
        assertThat(PROXIES.clientAddress("10.0.0.3", List.of("unknown, 10.0.0.2"))).isEqualTo("10.0.0.2");
        assertThat(PROXIES.clientAddress("10.0.0.3", List.of("example.com"))).isEqualTo("10.0.0.3");
        assertThat(PROXIES.clientAddress("10.0.0.3", List.of("198.51.100.4:5555"))).isEqualTo("10.0.0.3");
        assertThat(PROXIES.clientAddress("10.0.0.3", List.of(""))).isEqualTo("10.0.0.3");
    }

    @Test
    void headerValuesAreNeverLookedUpAsHostNames() {
        assertThat(TrustedProxies.literal("localhost")).isEmpty();
        assertThat(TrustedProxies.literal("deadbeef.example")).isEmpty();
        assertThat(TrustedProxies.literal("1.2.3")).isEmpty();
        assertThat(TrustedProxies.literal("256.1.1.1")).isEmpty();
        assertThat(TrustedProxies.literal("::1")).isPresent();
        assertThat(TrustedProxies.literal("::ffff:198.51.100.4")).hasValueSatisfying(a ->
                assertThat(a.getHostAddress()).isEqualTo("198.51.100.4"));
    }

    @Test
    void noProxiesMeansThePeerIsAlwaysTheClient() {
        var none = TrustedProxies.parse("K", "");
        assertThat(none.clientAddress("127.0.0.1", List.of("198.51.100.4"))).isEqualTo("127.0.0.1");
    }

    @Test
    void badValuesAreNamedAllAtOnce() {
        assertThatThrownBy(() -> TrustedProxies.parse("PARLEY_TRUSTED_PROXIES", "10.0.0.0/33, proxy.local, ::1/129, 1.2.3.4/x"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "PARLEY_TRUSTED_PROXIES: the prefix length in '10.0.0.0/33' must be between 0 and 32",
                        "PARLEY_TRUSTED_PROXIES: 'proxy.local' is not an IP address or CIDR range like 10.0.0.0/8 or fd00::/8",
                        "PARLEY_TRUSTED_PROXIES: the prefix length in '::1/129' must be between 0 and 128",
                        "PARLEY_TRUSTED_PROXIES: the prefix length in '1.2.3.4/x' must be between 0 and 32"));
    }

    @Test
    void theDefaultTrustsLoopbackOnlyAndTheSettingIsValidatedWithTheRest() {
        Config defaults = Config.load(Map.of("PARLEY_DB_URL", "postgresql://db1:5432/parley"));
        assertThat(defaults.trustedProxies().clientAddress("127.0.0.1", List.of("198.51.100.4"))).isEqualTo("198.51.100.4");
        assertThat(defaults.trustedProxies().clientAddress("::1", List.of("198.51.100.4"))).isEqualTo("198.51.100.4");
        assertThat(defaults.trustedProxies().clientAddress("10.0.0.1", List.of("198.51.100.4"))).isEqualTo("10.0.0.1");
        assertThat(defaults.drainPeriod()).hasSeconds(Config.DEFAULT_DRAIN_SECONDS);
        assertThat(Config.load(Map.of()).drainPeriod()).as("embedded: no balancer to wait for").isZero();

        assertThatThrownBy(() -> Config.load(Map.of("PARLEY_TRUSTED_PROXIES", "everyone", "PARLEY_DRAIN_SECONDS", "-1")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
                        "PARLEY_TRUSTED_PROXIES: 'everyone' is not an IP address or CIDR range like 10.0.0.0/8 or fd00::/8",
                        "PARLEY_DRAIN_SECONDS must be a whole number between 0 and 300, got '-1'"));
    }
}
