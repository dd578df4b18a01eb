package org.parley.web;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AssetsTest {
    private static final Map<String, String> MANIFEST = Map.of("parley.css", "parley.0123456789.css");

    @Test
    void withoutACdnAssetsAreLinkedUnderThisInstancesAssetsPath() {
        var assets = new Assets(MANIFEST, Optional.empty());

        assertThat(assets.url("parley.css")).isEqualTo("/assets/parley.0123456789.css");
        assertThat(assets.cdnOrigin()).isEmpty();
    }

    @Test
    void withACdnAssetsAreLinkedUnderItsBaseUrlWithOrWithoutATrailingSlash() {
        var withSlash = new Assets(MANIFEST, Optional.of(URI.create("https://cdn.example.com:8443/parley/")));
        var withoutSlash = new Assets(MANIFEST, Optional.of(URI.create("https://cdn.example.com:8443/parley")));

        assertThat(withSlash.url("parley.css")).isEqualTo("https://cdn.example.com:8443/parley/parley.0123456789.css");
        assertThat(withoutSlash.url("parley.css")).isEqualTo(withSlash.url("parley.css"));
        assertThat(withSlash.cdnOrigin()).contains("https://cdn.example.com:8443");
    }

    @Test
    void anAssetMissingFromTheManifestIsAnErrorNamingIt() {
        var assets = new Assets(MANIFEST, Optional.empty());

        assertThatThrownBy(() -> assets.url("missing.js"))
                .hasMessage("static/missing.js is not in static-manifest.properties; add the file to static/ and rebuild");
    }

    @Test
    void theBuildNamesEveryStaticFileByItsContentHash() throws Exception {
        var assets = Assets.load(Optional.empty());

        try (var files = Files.list(Path.of("static"))) {
            for (Path file : files.toList()) {
                String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(file))).substring(0, 10);
                String name = file.getFileName().toString();
                assertThat(assets.hashedNames()).containsEntry(name,
                        name.replaceFirst("\\.([a-z]+)$", "." + hash + ".$1"));
            }
        }
    }

    @Test
    void theCspAllowsAssetsFromTheCdnAndFramingKeepsThem() {
        String policy = SecurityHeaders.policy(Optional.of("https://cdn.example.com"), List.of("'self'"));

        assertThat(policy).contains("script-src 'self' https://cdn.example.com;",
                "style-src 'self' https://cdn.example.com;", "img-src 'self' https://cdn.example.com data: https://www.gravatar.com;",
                "frame-ancestors 'self'");
        assertThat(SecurityHeaders.policy(Optional.empty(), List.of())).contains("script-src 'self';",
                "frame-ancestors 'none'");
    }
}
