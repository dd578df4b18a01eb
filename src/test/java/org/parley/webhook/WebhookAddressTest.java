package org.parley.webhook;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Which addresses a webhook may have; IP literals only, so nothing here asks DNS or touches a network. */
class WebhookAddressTest {
    private final WebhookAddress publicOnly = new WebhookAddress(false);
    private final WebhookAddress anywhere = new WebhookAddress(true);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/hook", "https://10.1.2.3/", "https://172.16.0.9/", "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/", "https://0.0.0.0/", "https://[::1]/",
            "https://[fd00::1]/", "https://[fe80::1]/", "https://[::ffff:127.0.0.1]/", "https://224.0.0.1/",
            "https://[64:ff9b::a00:5]/", "https://[2002:c0a8:101::1]/", "https://[::10.0.0.5]/", "https://192.0.0.8/",
            "https://198.18.0.1/", "https://240.0.0.1/"})
    void thisMachineAndPrivateNetworksAreRefusedUnlessAllowed(String url) {
        assertThat(publicOnly.problem(url, Locale.ENGLISH))
                .hasValueSatisfying(p -> assertThat(p).contains("private network"));
        assertThat(anywhere.problem(url, Locale.ENGLISH)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/hooks/parley", "http://8.8.8.8:8080/x?y=1", "https://[2001:4860:4860::8888]/"})
    void publicAddressesAreAccepted(String url) {
        assertThat(publicOnly.problem(url, Locale.ENGLISH)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com/hook", "ftp://8.8.8.8/", "https://user:pw@8.8.8.8/", "https://8.8.8.8/#x",
            "https://exa mple.com/", "mailto:someone@example.com"})
    void malformedAddressesAreRefusedWithAReason(String url) {
        assertThat(anywhere.problem(url, Locale.ENGLISH)).isPresent();
    }

    @org.junit.jupiter.api.Test
    void anOverlongAddressIsRefused() {
        assertThat(anywhere.problem("https://8.8.8.8/" + "a".repeat(WebhookAddress.MAX_LENGTH), Locale.ENGLISH))
                .hasValueSatisfying(p -> assertThat(p).contains("under 2000"));
    }
}
