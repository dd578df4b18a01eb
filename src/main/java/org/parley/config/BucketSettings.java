package org.parley.config;

import java.net.URI;
import java.util.Optional;

/**
 * The S3-compatible bucket that {@code parley push-static} uploads static files to, and that a CDN serves.
 *
 * @param name      the bucket; empty when not configured (push-static then refuses to run)
 * @param prefix    key prefix, empty or ending in "/"
 * @param endpoint  an S3-compatible server's URL; empty = Amazon S3 of {@code region}
 * @param accessKey empty = the AWS SDK's default credential chain
 */
public record BucketSettings(String name, String prefix, Optional<URI> endpoint, String region,
                             String accessKey, String secretKey) {

    public boolean configured() {
        return !name.isEmpty();
    }

    /** The secret stays out of logs and exception messages. */
    @Override
    public String toString() {
        return "BucketSettings[" + name + "/" + prefix + " at " + endpoint.map(URI::toString).orElse("S3 " + region) + "]";
    }
}
