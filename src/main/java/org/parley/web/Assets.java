package org.parley.web;

import org.parley.config.StartupException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where pages link their CSS and scripts. The build gives every file of static/ a content-hashed name
 * (src/build/FingerprintStatic.java) and lists them in a manifest; templates ask for {@code assets.url('parley.css')}
 * and get {@code /assets/parley.3f9c0a1b2d.css}, or the same name under {@code PARLEY_CDN_BASE_URL}.
 *
 * Because a changed file gets a new name, every copy (browser, nginx, CDN) may keep an asset forever, and a
 * deploy never serves new HTML with an old stylesheet.
 */
public final class Assets {
    /** On the class path, written by the build. */
    public static final String MANIFEST = "static-manifest.properties";
    /** Where this instance serves the hashed files itself. */
    public static final String LOCAL_PATH = "/assets/";
    /** The class-path folder that holds them (and what push-static uploads). */
    public static final String CLASSPATH_FOLDER = "assets/";

    private final Map<String, String> hashedNames;
    private final String base;
    private final Optional<String> cdnOrigin;

    Assets(Map<String, String> hashedNames, Optional<URI> cdnBaseUrl) {
        this.hashedNames = Collections.unmodifiableMap(new TreeMap<>(hashedNames));
        this.base = cdnBaseUrl.map(Assets::withTrailingSlash).orElse(LOCAL_PATH);
        this.cdnOrigin = cdnBaseUrl.map(url -> url.getScheme() + "://" + url.getRawAuthority());
    }

    /**
     * The build's manifest, linking under {@code cdnBaseUrl} when one is set.
     *
     * @throws StartupException when the class path has no manifest (a build that skipped process-resources)
     */
    public static Assets load(Optional<URI> cdnBaseUrl) {
        return new Assets(readManifest(), cdnBaseUrl);
    }

    /** The URL a page uses for static file {@code name} (its name in static/, e.g. {@code parley.css}). */
    public String url(String name) {
        String hashed = hashedNames.get(name);
        if (hashed == null) {
            throw new IllegalArgumentException("static/" + name + " is not in " + MANIFEST
                    + "; add the file to static/ and rebuild");
        }
        return base + hashed;
    }

    /** static/ name → hashed name, for uploading. */
    public Map<String, String> hashedNames() {
        return hashedNames;
    }

    /** The CDN's origin ({@code https://cdn.example.com}) for the Content-Security-Policy; empty without a CDN. */
    public Optional<String> cdnOrigin() {
        return cdnOrigin;
    }

    private static String withTrailingSlash(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? text : text + "/";
    }

    private static Map<String, String> readManifest() {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(MANIFEST)) {
            if (in == null) {
                throw new StartupException("The jar has no " + MANIFEST + "; rebuild it with scripts/run or mvn package.");
            }
            var properties = new Properties();
            properties.load(in);
            var names = new TreeMap<String, String>();
            properties.stringPropertyNames().forEach(name -> names.put(name, properties.getProperty(name)));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + MANIFEST + " failed", e);
        }
    }
}
