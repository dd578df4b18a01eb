package org.parley.build;

import java.util.Optional;

/**
 * What this build is, from the jar's manifest ({@code Implementation-Version}). Lives apart from {@code Main} so that
 * the features which print or tag the version (page ETags, error reports, {@code --version}) depend on nothing above
 * them.
 */
public final class BuildInfo {
    private BuildInfo() {
    }

    /** The released version, or empty when running from the source tree (tests, {@code mvn exec}). */
    public static Optional<String> version() {
        return Optional.ofNullable(BuildInfo.class.getPackage().getImplementationVersion());
    }
}
